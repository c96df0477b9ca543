/**
 * The part of Express 5 the bench uses, and what express-oauth2-jwt-bearer's types import from
 * it (the bench may not add @types/express).
 */
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Request extends IncomingMessage {
    auth?: unknown;
  }
  export interface Response extends ServerResponse {
    json(body: unknown): this;
    status(code: number): this;
    set(field: string, value: string): this;
  }
  export type NextFunction = (error?: unknown) => void;
  export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
  export type ErrorHandler = (
    error: unknown,
    req: Request,
    res: Response,
    next: NextFunction,
  ) => unknown;

  /** An app is a request listener for node:http's createServer. */
  export interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    get(path: string, ...handlers: Handler[]): this;
    use(handler: Handler | ErrorHandler): this;
    set(setting: string, value: unknown): this;
  }

  function express(): Application;
  export default express;
}
