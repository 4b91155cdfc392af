// Who is calling: the authenticated principal a request acts as, and the credentials that can
// name one. Shared by authentication (protocol), authorization (authz), the audit trail and the
// operations.

export interface Caller {
  accessKeyId: string;
  /** e.g. arn:aws:iam::000000000000:root or arn:aws:iam::000000000000:user/helpdesk ("" for a revert link) */
  principalArn: string;
  account: string;
  /**
   * "root": the account's bootstrap credential, allowed everything (as in AWS);
   * "user": an IAM user; "revert-link": whoever holds a revert link (the token is the credential)
   */
  kind: "root" | "user" | "revert-link";
  /** IAM user name (kind "user") */
  userName?: string;
  /** kind "revert-link": names the link by its token's hash, never the token */
  principalId?: string;
}

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  account: string;
  principalArn: string;
  kind: "root" | "user";
  userName?: string;
}

export interface CredentialStore {
  lookup(accessKeyId: string): CredentialRecord | undefined;
  /**
   * Optional, called before every authentication with the access key id the request claims
   * (unverified; "" when none): a chance to reload a cache first. Returns a promise only when
   * it has work to do, so the common case costs nothing.
   */
  prepare?(claimedAccessKeyId: string): Promise<unknown> | undefined;
}
