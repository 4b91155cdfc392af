// A request and a response as the HTTP adapter hands them over: raw bytes and raw headers, so
// SigV4 can be verified on exactly what was sent.

export interface WireRequest {
  method: string;
  /** raw request target (path + query), as on the wire */
  url: string;
  rawHeaders: readonly string[];
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  sourceIp: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** close the connection without answering (an injected fault); status, headers and body are ignored */
  drop?: boolean;
}

/** One request, answered: the pipeline every served request goes through. */
export type Pipeline = (req: WireRequest) => Promise<WireResponse>;
