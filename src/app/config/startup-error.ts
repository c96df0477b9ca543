import { ConfigError } from './app-config';

/**
 * Shows why the app could not start in place of the app, with plain DOM (Angular is not
 * running yet, or failed to). Text goes in through `textContent`, never as HTML.
 */
export function renderStartupError(host: HTMLElement, error: unknown): void {
  const section = document.createElement('section');
  section.className = 'startup-error';
  section.setAttribute('role', 'alert');

  const heading = document.createElement('h1');
  heading.textContent = 'DPoP Lab could not start';
  section.append(heading);

  const message = document.createElement('p');
  message.textContent =
    error instanceof ConfigError && error.problems.length > 1
      ? 'config.json is not valid:'
      : error instanceof Error
        ? error.message
        : String(error);
  section.append(message);

  if (error instanceof ConfigError && error.problems.length > 1) {
    const list = document.createElement('ul');
    for (const problem of error.problems) {
      const item = document.createElement('li');
      item.textContent = problem;
      list.append(item);
    }
    section.append(list);
  }

  const hint = document.createElement('p');
  hint.textContent = 'Fix it, then reload the page.';
  section.append(hint);

  host.replaceChildren(section);
  document.title = 'DPoP Lab — could not start';
}
