/**
 * Opens a URL in the system browser, as a native app's sign-in should (RFC 8252 §6: the system
 * browser, not an embedded view): `open` on macOS, `xdg-open` on Linux and the BSDs when there
 * is a display, `rundll32 url.dll,FileProtocolHandler` on Windows. The URL goes as one argument,
 * never through a shell. Resolves false when there is no browser to open (no display, no such
 * program, or it failed), so the caller says to open the URL by hand; never rejects.
 */
import { spawn } from 'node:child_process';

/** The program and arguments that open `url` here, or undefined when there is no browser. */
function opener(url: string, env: NodeJS.ProcessEnv): [string, string[]] | undefined {
  switch (process.platform) {
    case 'darwin':
      return ['open', [url]];
    case 'win32':
      return ['rundll32', ['url.dll,FileProtocolHandler', url]];
    default:
      // A terminal without a display (SSH, a container) has no browser to show.
      return env['DISPLAY'] || env['WAYLAND_DISPLAY'] ? ['xdg-open', [url]] : undefined;
  }
}

export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const command = opener(url, env);
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(command[0], command[1], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
    child.unref();
  });
}
