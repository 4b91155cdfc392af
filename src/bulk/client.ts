// The Connect client the bulk tools use: credentials from the SDK's default chain (environment,
// profile, …), any endpoint (Switchboard or Connect itself), and the SDK's adaptive retry, which
// backs off on ThrottlingException and paces later calls to the rate the service grants
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
import { ConnectClient } from "@aws-sdk/client-connect";

export interface ClientOptions {
  endpoint?: string;
  region?: string;
}

/** Attempts per call: enough to ride out Connect's 2 requests/s with a burst of 5. */
export const MAX_ATTEMPTS = 12;

export function connectClient(opts: ClientOptions): ConnectClient {
  return new ConnectClient({
    region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    retryMode: "adaptive",
    maxAttempts: MAX_ATTEMPTS,
  });
}
