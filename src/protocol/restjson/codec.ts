// restJson1, Connect's protocol (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html):
// the router over the model's URI templates, the deserializer of its member bindings, the
// model's constraint checks, and the serializers — all driven by the generated tables.
import { frameworkError, modeledError, type ServiceError, serialization } from "../../common/errors.js";
import type { OperationDef, Shape } from "../../model/types.js";
import type { Codec, Route } from "../service.js";
import { summarize, validateInput } from "../validate.js";
import { deserialize, parseQuery } from "./deserialize.js";
import { inputValue } from "./input-values.js";
import { BadLabelEncoding, badPercentEncoding, type RouteMatch, Router } from "./router.js";
import { outputDocument, serializeError, serializeOutput } from "./serialize.js";

export interface RestJsonRoute extends Route {
  match?: RouteMatch;
}

type Shapes = Readonly<Record<string, Shape>>;

function unknownOperation(method: string, rawPath: string, pathKnown: boolean): ServiceError {
  // API Gateway answers unknown routes with UnknownOperationException; say what was asked.
  const detail = pathKnown ? `${method} is not supported on ${rawPath}` : `no operation matches ${method} ${rawPath}`;
  return frameworkError("UnknownOperationException", `Unknown operation: ${detail}.`);
}

/**
 * `ready`, when given, says whether `shapes` holds what an operation needs yet (undefined) or when it will (see
 * model/lazy-shapes.ts); without it `shapes` must hold every operation's shapes.
 */
export function restJsonCodec(
  shapes: Shapes,
  operations: Readonly<Record<string, OperationDef>>,
  ready?: (operation: string) => Promise<void> | undefined,
): Codec<RestJsonRoute> {
  const router = new Router(operations);
  const outputMemo = new Map<string, boolean>();
  const inputMemo = new Map<string, boolean>();
  const def = (operation: string) => operations[operation] as OperationDef;

  return {
    route(req, rawPath) {
      const bad = badPercentEncoding(rawPath);
      if (bad !== undefined) return { error: serialization(`The request path is not valid percent-encoding: '${bad}'`) };
      try {
        const match = router.match(req.method, rawPath);
        if (match) return { operation: match.operation, match };
        return { error: unknownOperation(req.method, rawPath, router.hasPath(rawPath)) };
      } catch (err) {
        if (!(err instanceof BadLabelEncoding)) throw err;
        return { error: serialization(`The request path is not valid percent-encoding: '${err.message}'`) };
      }
    },

    ...(ready ? { prepare: (route: RestJsonRoute) => (route.operation === undefined ? undefined : ready(route.operation)) } : {}),

    decode(route, req, rawQuery) {
      const match = route.match as RouteMatch;
      return deserialize(shapes, def(match.operation), {
        labels: match.labels,
        query: parseQuery(rawQuery),
        // read only for header-bound members (most operations have none)
        get headers() {
          return req.headers;
        },
        body: req.body,
      });
    },

    validate(operation, input) {
      const shapeName = def(operation).input;
      if (!shapeName) return input;
      const failures = validateInput(shapes, shapeName, input as Record<string, unknown>);
      if (failures.length > 0) {
        const typeFailures = failures.filter((f) => f.kind === "type");
        if (typeFailures.length > 0) throw serialization(summarize(typeFailures));
        throw modeledError("InvalidParameterException", summarize(failures));
      }
      return inputValue(shapes, shapeName, input, inputMemo);
    },

    encodeOutput(operation, output, requestId) {
      const shapeName = def(operation).output;
      const doc = shapeName === undefined ? undefined : outputDocument(shapes, shapeName, output, outputMemo);
      return serializeOutput(doc as Record<string, unknown> | undefined, requestId);
    },

    encodeError: serializeError,
  };
}
