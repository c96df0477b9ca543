/**
 * Shows why the app could not start in place of the app, with plain DOM (Angular is not
 * running yet, or failed to). Text goes in through `textContent`, never as HTML.
 */
export function renderStartupError(host: HTMLElement, error: unknown): void {
  const problems = problemsOf(error);
  const section = document.createElement('section');
  section.className = 'startup-error';
  section.setAttribute('role', 'alert');

  const heading = document.createElement('h1');
  heading.textContent = 'DPoP Lab could not start';
  section.append(heading);

  const message = document.createElement('p');
  message.textContent =
    problems.length > 1
      ? 'config.json is not valid:'
      : error instanceof Error
        ? error.message
        : String(error);
  section.append(message);

  if (problems.length > 1) {
    const list = document.createElement('ul');
    for (const problem of problems) {
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

/**
 * The bad fields a `ConfigError` lists, read by shape rather than by class: this page is fetched
 * only after a failure, and sharing no module with the app's start keeps that start in fewer
 * chunks.
 */
function problemsOf(error: unknown): readonly string[] {
  const problems = (error as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) ? problems.filter((p) => typeof p === 'string') : [];
}
