/**
 * The slice of oidc-provider 9's API this project uses, typed by hand: the package ships
 * no declarations and no `@types/oidc-provider` is installed. Each member here was checked
 * against node_modules/oidc-provider/lib (provider.js, helpers/defaults.js, models/grant.js).
 * If you need more of the API, add it here, or install `@types/oidc-provider` and delete this file.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type UnknownObject = Record<string, unknown>;

  /** The part of a static client's metadata (RFC 7591 names) that this project sets. */
  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    application_type?: 'web' | 'native';
    token_endpoint_auth_method?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    scope?: string;
    id_token_signed_response_alg?: string;
    dpop_bound_access_tokens?: boolean;
  }

  /** A registered client as oidc-provider models it (camelCase properties). */
  export interface Client {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: string[];
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface Session {
    readonly accountId?: string;
  }

  /** `ctx.oidc`: the request's OpenID Connect context. */
  export interface OIDCContext {
    readonly provider: Provider;
    readonly route: string;
    /** The absolute URL of a route (`revocation` → `<issuer>/token/revocation`). */
    urlFor(name: string): string;
    readonly client?: Client;
    readonly session?: Session;
    readonly issuer: string;
    readonly params?: UnknownObject;
  }

  /** The Koa context handed to configuration helpers. */
  export interface KoaContextWithOIDC {
    readonly oidc: OIDCContext;
    readonly method: string;
    readonly path: string;
    readonly host: string;
    /** The client's address (the socket's, as `provider.proxy` is false). */
    readonly ip: string;
    body: unknown;
    type: string;
    status: number;
    readonly response: { get(field: string): string };
    set(field: string, value: string): void;
    get(field: string): string;
  }

  /** A context in `provider.use` middleware: `oidc` only exists for a routed request. */
  export type KoaContext = Omit<KoaContextWithOIDC, 'oidc'> & { readonly oidc?: OIDCContext };

  /** A token found at the revocation endpoint (AccessToken, ClientCredentials, RefreshToken). */
  export interface RevocableToken {
    readonly kind: string;
    readonly clientId?: string;
    /** The RFC 7638 thumbprint of the DPoP key the token is bound to. */
    readonly jkt?: string;
    destroy(): Promise<void>;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(
      use: string,
      scope: string,
      claims: UnknownObject,
      rejected: string[],
    ): Promise<AccountClaims> | AccountClaims;
  }

  /** The return value of `features.resourceIndicators.getResourceServerInfo` (RFC 8707). */
  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string; kid?: string } };
  }

  /** Tokens and other models passed to ttl functions and policy helpers. */
  export interface GrantSource {
    readonly scopes: Set<string>;
    readonly resourceServer?: { accessTokenTTL?: number };
  }

  /** What oidc-provider stores for one model instance: a JSON-safe object. */
  export type AdapterPayload = UnknownObject;

  /**
   * oidc-provider's storage interface (lib/adapters/memory_adapter.js is the reference):
   * one instance per model name (`Session`, `Grant`, `AccessToken`, `RefreshToken`, ...);
   * `expiresIn` is in seconds, undefined for "never".
   */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type TTLFunction = (ctx: KoaContextWithOIDC, token: GrantSource, client: Client) => number;

  export interface Configuration {
    /** Storage for sessions, grants, tokens...; default: a development-only in-memory store. */
    adapter?: new (name: string) => Adapter;
    clients?: ClientMetadata[];
    jwks?: { keys: UnknownObject[] };
    cookies?: {
      keys?: string[];
      long?: UnknownObject;
      short?: UnknownObject;
    };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    responseTypes?: string[];
    findAccount?: (
      ctx: KoaContextWithOIDC,
      sub: string,
      token?: unknown,
    ) => Promise<Account | undefined>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    issueRefreshToken?: (
      ctx: KoaContextWithOIDC,
      client: Client,
      source: GrantSource,
    ) => Promise<boolean> | boolean;
    /** true: a new refresh token on every use; a function decides per request. */
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => Promise<boolean> | boolean);
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    ttl?: Record<string, number | TTLFunction>;
    interactions?: {
      url?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => Promise<string> | string;
    };
    renderError?: (
      ctx: KoaContextWithOIDC,
      out: Record<string, string>,
      error: Error,
    ) => Promise<void> | void;
    enabledJWA?: Record<string, string[]>;
    features?: {
      devInteractions?: { enabled: boolean };
      dPoP?: {
        enabled: boolean;
        nonceSecret?: Buffer;
        requireNonce?: (ctx: KoaContextWithOIDC) => boolean;
        allowReplay?: boolean;
      };
      userinfo?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      revocation?: {
        enabled: boolean;
        allowedPolicy?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          token: RevocableToken,
        ) => Promise<boolean> | boolean;
      };
      introspection?: {
        enabled: boolean;
        allowedPolicy?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          token: { clientId?: string; kind?: string; aud?: string | string[] },
        ) => Promise<boolean> | boolean;
      };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Promise<void> | void;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Promise<void> | void;
      };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          oneOf?: string[],
        ) => Promise<string | string[] | undefined> | string | string[] | undefined;
        useGrantedResource?: (
          ctx: KoaContextWithOIDC,
          model: unknown,
        ) => Promise<boolean> | boolean;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => Promise<ResourceServer> | ResourceServer;
      };
    };
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: {
      name: string;
      reasons: string[];
      details: {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
        [detail: string]: unknown;
      };
    };
    readonly params: UnknownObject & { client_id?: string };
    readonly session?: { accountId: string };
    readonly grantId?: string;
    readonly lastSubmission?: UnknownObject;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    /** The context of the request being served (AsyncLocalStorage), if any. */
    static readonly ctx: KoaContextWithOIDC | undefined;
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: typeof Grant;
    readonly Client: { find(clientId: string): Promise<Client | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Koa middleware around every request (before the routes; after them past `await next()`). */
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): this;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      error: string;
      error_description?: string;
      status: number;
      statusCode: number;
      expose: boolean;
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class InvalidRequest extends OIDCProviderError {
      constructor(description?: string);
    }
    class SessionNotFound extends InvalidRequest {}
    class InvalidDpopProof extends OIDCProviderError {
      constructor(description?: string);
    }
  }

  export default Provider;
}

/**
 * oidc-provider's own DPoP proof checks (RFC 9449 §4.3), as its token and userinfo endpoints run
 * them: revocation-policy.ts runs them at the revocation endpoint. The package has no `exports`
 * map, so the file can be imported; it is pinned with the package's version.
 */
declare module 'oidc-provider/lib/helpers/validate_dpop.js' {
  import type { errors, KoaContextWithOIDC, Provider } from 'oidc-provider';

  export interface DpopProof {
    /** RFC 7638 thumbprint of the proof's key. */
    thumbprint: string;
    jti: string;
    iat: number;
  }

  /**
   * The request's proof, checked (`typ`, signature, `htm`, `htu` = this route's URL, `iat`, and
   * the nonce when `requireNonce` says so: `use_dpop_nonce` with a `DPoP-Nonce` header);
   * undefined without a `DPoP` header.
   */
  export default function validateDpop(
    provider: Provider,
    ctx: KoaContextWithOIDC,
    accessToken?: string,
  ): Promise<DpopProof | undefined>;

  /** Records the proof's `jti` (ReplayDetection); throws `ErrorClass` if it was seen before. */
  export function checkDpopReplay(
    provider: Provider,
    ctx: KoaContextWithOIDC,
    proof: DpopProof,
    clientId: string | undefined,
    ErrorClass: new (description?: string) => errors.OIDCProviderError,
  ): Promise<void>;
}
