// `/_switchboard/faults`: the fault rules at run time, as a service on the one pipeline (so it is
// authenticated, authorized, logged and its denials audited like any AWS call).
//   GET    → GetFaults     the rules in force with their counters
//   PUT    → PutFaults     replace every rule by the body's {"rules": [...]} (checked completely first)
//   DELETE → DeleteFaults  remove every rule
// SigV4-signed with signing name `connect` (the same credentials as Connect). The account root may
// always; an IAM principal needs the action `switchboard:ManageFaults` (resource `*`) — which
// `connect:*` does not grant. Rules are process state, not stored data: the calls are not
// mutations of the store, so their successes are logged, not audited.
import { frameworkError, invalidRequest, serialization } from "../../common/errors.js";
import type { Logger } from "../../common/log.js";
import { FAULTS_PATH } from "../../common/paths.js";
import { declarer, type ServedOperation, served } from "../../operations/declare.js";
import { noResource } from "../../operations/iam-targets.js";
import { serializeError } from "../restjson/serialize.js";
import type { Authenticate, Service } from "../service.js";
import type { FaultRuleState, Faults } from "./faults.js";
import { FaultRuleError, parseFaultDocument } from "./rules.js";

/** The IAM action every call of the endpoint is authorized on. */
export const MANAGE_FAULTS_ACTION = "switchboard:ManageFaults";

interface Inputs {
  GetFaults: Record<string, never>;
  PutFaults: unknown;
  DeleteFaults: Record<string, never>;
}
interface Outputs {
  GetFaults: { rules: FaultRuleState[] };
  PutFaults: { rules: FaultRuleState[] };
  DeleteFaults: { rules: FaultRuleState[] };
}

const METHODS: Readonly<Record<string, keyof Inputs>> = { GET: "GetFaults", PUT: "PutFaults", DELETE: "DeleteFaults" };

function operations(faults: Faults, logger: Logger): Readonly<Record<string, ServedOperation>> {
  const op = declarer<Inputs, Outputs>();
  const iam = noResource<unknown>({ action: MANAGE_FAULTS_ACTION });
  return {
    GetFaults: served(op("GetFaults", { iam, mutates: false, handle: async () => ({ rules: faults.list() }) }), "switchboard"),
    PutFaults: served(
      op("PutFaults", {
        iam,
        mutates: false,
        handle: async (input, ctx) => {
          const rules = faults.replace(input);
          logger.log("info", "fault rules replaced", { rules: rules.length, by: ctx.caller.principalArn, requestId: ctx.requestId });
          return { rules };
        },
      }),
      "switchboard",
    ),
    DeleteFaults: served(
      op("DeleteFaults", {
        iam,
        mutates: false,
        handle: async (_input, ctx) => {
          faults.clear();
          logger.log("info", "fault rules removed", { by: ctx.caller.principalArn, requestId: ctx.requestId });
          return { rules: [] };
        },
      }),
      "switchboard",
    ),
  };
}

/** The endpoint as a service of the pipeline; `authenticate` is the Connect SigV4 scheme. */
export function faultsEndpoint(faults: Faults, authenticate: Authenticate, logger: Logger): Service {
  return {
    logName: (operation) => `switchboard:${operation}`,
    claims: (_req, rawPath) => rawPath === FAULTS_PATH || rawPath.startsWith(`${FAULTS_PATH}/`),
    codec: {
      route(req, rawPath) {
        const operation = rawPath === FAULTS_PATH ? METHODS[req.method] : undefined;
        if (operation) return { operation };
        return {
          error: frameworkError(
            "UnknownOperationException",
            `Unknown operation: ${req.method} ${rawPath} (GET, PUT, DELETE ${FAULTS_PATH}).`,
          ),
        };
      },
      decode(route, req) {
        if (route.operation !== "PutFaults") return {};
        try {
          return JSON.parse(req.body.toString("utf8")) as unknown;
        } catch {
          throw serialization('The request body is not valid JSON (expected {"rules": [...]}).');
        }
      },
      validate(operation, input) {
        if (operation !== "PutFaults") return input;
        try {
          parseFaultDocument(input);
        } catch (err) {
          if (err instanceof FaultRuleError) throw invalidRequest(`Invalid fault rules: ${err.problems.join("; ")}`);
          throw err;
        }
        return input;
      },
      encodeOutput: (_operation, output, requestId) => ({
        status: 200,
        headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId },
        body: JSON.stringify(output),
      }),
      encodeError: serializeError,
    },
    authenticate,
    throttled: false,
    audit: { eventSource: "switchboard.local", auditsFailedAuthentication: true, requestParameters: () => null },
    operations: operations(faults, logger),
  };
}
