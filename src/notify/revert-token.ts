// One-time revert links: the token is 32 random bytes (base64url, 43 characters) that only the
// message carries; the store keeps its SHA-256, so reading the database does not give the link.
import { createHash, randomBytes } from "node:crypto";
import { REVERT_PATH } from "../common/paths.js";

export { REVERT_PATH };

/** The shape every token has; anything else is answered 404 without a database read. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** hex SHA-256 of the token, as stored */
export const hashRevertToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export function newRevertToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashRevertToken(token) };
}

/** `${publicUrl}/_switchboard/revert/<token>` (a trailing slash on publicUrl is not doubled) */
export const revertUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, "")}${REVERT_PATH}${token}`;
