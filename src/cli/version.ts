// The package's version, from its package.json.
import { packageFileText } from "../common/package-file.js";

export const packageVersion = (): string => (JSON.parse(packageFileText("package.json")) as { version: string }).version;
