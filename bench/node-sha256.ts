// Shared by the bench and the tests that sign hand-made requests with AWS's own signer.
import { createHash, createHmac } from "node:crypto";

/**
 * node:crypto as the Checksum the Smithy signer expects (HMAC when given a secret). Neither
 * @aws-crypto/sha256-js nor @smithy/hash-node is installed here (SDK 3.11xx bundles its hashing
 * into @smithy/core), so the bench brings its own 15 lines rather than leaning on a transitive path.
 */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === "string" ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

export class NodeSha256 {
  private h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
  reset(): void {}
}
