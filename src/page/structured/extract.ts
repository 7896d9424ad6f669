import type { StructuredData } from '../../notte/scrape.js';
import type { PageStructure } from '../injected/scrapeTypes.js';
import { extractDeterministic } from './deterministic.js';
import { compileJsonSchema } from './jsonSchema.js';
import { extractWithSampling } from './sampled.js';
import type { SampleFn } from './sampled.js';

export interface StructuredRequest {
  markdown: string;
  url: string;
  schema?: Record<string, unknown> | undefined;
  instructions?: string | undefined;
  /** Tables, lists and definition lists of the page, for extraction without a model. */
  structure: PageStructure | undefined;
  sample?: SampleFn | undefined;
}

const SELF_SERVE = 'The page markdown is returned so you can extract the data yourself.';

function failure(error: string): StructuredData {
  return { success: false, error, data: null };
}

/**
 * Structured output: through the client's model when it offers sampling, else read deterministically off the
 * page's tables and lists where the schema maps onto them, else an honest failure beside the markdown.
 */
export async function extractStructured(request: StructuredRequest): Promise<StructuredData> {
  const compiled = request.schema === undefined ? undefined : compileJsonSchema(request.schema);
  if (compiled !== undefined && 'error' in compiled) return failure(`${compiled.error} ${SELF_SERVE}`);
  let samplingError = '';
  if (request.sample !== undefined) {
    try {
      return await extractWithSampling({
        sample: request.sample,
        markdown: request.markdown,
        url: request.url,
        schema: request.schema,
        validator: compiled,
        instructions: request.instructions,
      });
    } catch (error: unknown) {
      // The client may refuse or fail sampling; the page's own tables may still answer.
      samplingError = `Sampling through the client failed (${error instanceof Error ? error.message : String(error)}). `;
    }
  }
  if (request.schema === undefined || compiled === undefined) {
    const why = request.sample === undefined ? 'Extracting by instructions needs a model, and this client does not offer MCP sampling.' : '';
    return failure(`${samplingError}${why} Pass response_format (a JSON Schema matching the page's tables or lists) for extraction without a model. ${SELF_SERVE}`.trim());
  }
  const noModel = request.sample === undefined ? 'This client does not offer MCP sampling, so no model could extract it; ' : '';
  if (request.structure === undefined) return failure(`${samplingError}${noModel}the page structure was not read. ${SELF_SERVE}`);
  const found = extractDeterministic(request.schema, request.structure);
  if (!found.ok) return failure(`${samplingError}${noModel}the schema does not map onto the page's tables or lists: ${found.reason}. ${SELF_SERVE}`);
  const check = compiled.validate(found.data);
  if (!check.ok) return failure(`${samplingError}${noModel}the data read from the page does not match the schema: ${check.error}. ${SELF_SERVE}`);
  return { success: true, error: null, data: found.data };
}
