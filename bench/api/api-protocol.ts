/** What the bench and an API process (./api-server.ts) say to each other. */
export type ApiKind = 'dpop-lab' | 'bearer' | 'auth0';

export interface ApiSpec {
  kind: ApiKind;
  issuer: string;
  jwksUrl: string;
  /** The `aud` of the access tokens, the API's resource indicator. */
  audience: string;
  /** DPoP Lab's API_PUBLIC_URL: the base of the `htu` it expects. */
  publicUrl: string;
  /** DPoP Lab's nonce secret, base64url of 32 bytes, so the bench can make valid nonces. */
  nonceSecret: string;
}

export type ParentMessage = { type: 'stats'; gc: boolean } | { type: 'advance'; ms: number };

export type ChildMessage =
  | { type: 'ready'; url: string }
  | {
      type: 'stats';
      rss: number;
      heapUsed: number;
      /** Typed arrays and Buffers live outside the V8 heap: counted with it for memory figures. */
      arrayBuffers: number;
      /** CPU time the process has used (user + system), in microseconds. */
      cpuMicros: number;
      replayCacheSize: number | null;
    }
  | { type: 'advanced'; offsetMs: number };
