/**
 * Reads an `application/x-www-form-urlencoded` request body (the login form) with a size
 * limit, so a client cannot make the server buffer an arbitrarily large body.
 */
import type { IncomingMessage } from 'node:http';

export const FORM_BODY_LIMIT = 8 * 1024;

/** A request we refuse with a status code and a message for the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export async function readFormBody(
  req: IncomingMessage,
  limit = FORM_BODY_LIMIT,
): Promise<URLSearchParams> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'Send the form as application/x-www-form-urlencoded.');
  }
  const tooLarge = () => new HttpError(413, `The form is larger than ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    // Chunked bodies have no Content-Length: count as we go and stop reading at the limit.
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
