// The environment the real Python clients (Debian's boto3 and AWS CLI v2) run in for tests: ours,
// minus anything AWS-, boto- or Python-path-related, so no user config or other install leaks in.
export function isolatedAwsEnv(
  credentials: { accessKeyId?: string; secretAccessKey?: string } = {},
  region = "us-east-1",
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|BOTO|PYTHON)/i.test(k)) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId ?? "test",
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey ?? "test",
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
    PYTHONNOUSERSITE: "1",
  };
}
