// Public API of the SigV4 verifier. Everything else in this folder is internal.
export type {
  CredentialLookup,
  SigningCredential,
  SigV4ErrorCode,
  SigV4Input,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySuccess,
} from "./types.js";
export { verifySigV4 } from "./verify.js";
