import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  // removeAdditional:false — an unknown field is an error the client must see, not something
  // silently dropped. Bodies are never coerced: "3" is not a number.
  const ajv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes, allErrors: false, strict: false });
  return addFormats(ajv);
}

const bodyAjv = makeAjv(false);
const paramsAjv = makeAjv(true);

/** Bodies validate strictly; path and query parameters (always text) are coerced. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? bodyAjv : paramsAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** A validation failure as the client sees it: which field, and what is wrong with it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Turns Ajv errors into field-named issues, e.g. `body.baseVersion: must be integer`. */
export function describeValidation(context: string, errors: readonly ErrorObject[]): FieldIssue[] {
  return errors.map((e) => {
    const path = [context, ...e.instancePath.split("/").filter(Boolean)].join(".");
    if (e.keyword === "additionalProperties") {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { field: `${path}.${extra}`, message: "is not a known field" };
    }
    if (e.keyword === "required") {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: `${path}.${missing}`, message: "is required" };
    }
    return { field: path, message: e.message ?? "is invalid" };
  });
}
