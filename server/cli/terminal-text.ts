/**
 * What a server said, made safe to print on a terminal (issue 19, finding 4): a hostile API's
 * `error` value once erased the line, painted a green "pass", set the window title and wrote the
 * clipboard (OSC 52), because `npm run conformance` printed it raw.
 *
 * - Every C0 control (U+0000–U+001F, ESC among them), DEL and every C1 control (U+0080–U+009F,
 *   CSI and OSC among them) is shown as a visible escape, `\x1b`, never sent: nothing can move
 *   the cursor, clear, colour, set a title or reach the clipboard. Tab and line breaks become a
 *   space, so a server cannot start a line of its own either.
 * - Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F,
 *   U+061C) and the line and paragraph separators U+2028, U+2029 are shown as `\u202e`, so text
 *   cannot be reordered to read as something else.
 * - The result is at most `maxLength` characters, ending in `…` when cut.
 *
 * terminalJson does the same for `--json`: JSON.stringify already escapes C0; the rest is
 * escaped as `\uXXXX` (still the same JSON value), and every string is cut to `maxLength`.
 */

/** C0, DEL, C1: each shown as \xNN. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LINE_BREAK_OR_TAB = /[\t\n\r]/g;
/** Characters that reorder or break text on a terminal without being controls. */
const INVISIBLE_LAYOUT = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves unescaped but a terminal may act on. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (char: string, width: number) => char.charCodeAt(0).toString(16).padStart(width, '0');

/** Cuts `text` to `maxLength` characters, never inside a surrogate pair. */
function clip(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = Math.max(0, maxLength - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** `text` with no control sequence left, at most `maxLength` characters. */
export function terminalText(text: string, maxLength = 300): string {
  const visible = text
    .replace(LINE_BREAK_OR_TAB, ' ')
    .replace(CONTROL, (char) => `\\x${hex(char, 2)}`)
    .replace(INVISIBLE_LAYOUT, (char) => `\\u${hex(char, 4)}`);
  return clip(visible, maxLength);
}

/** `value` as indented JSON that a terminal shows as it is, each string at most `maxLength`. */
export function terminalJson(value: unknown, maxLength = 1_000): string {
  const json = JSON.stringify(
    value,
    (_key, member: unknown) => (typeof member === 'string' ? clip(member, maxLength) : member),
    2,
  );
  return json.replace(JSON_UNSAFE, (char) => `\\u${hex(char, 4)}`);
}
