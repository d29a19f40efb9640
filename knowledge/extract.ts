/** Document extraction for the knowledge base; one file per format under `extract/`. */
export { extractDocument, detectFormat, DEFAULT_MAX_BYTES, ExtractionError, FORMAT_MIME } from './extract/index';
export type { DocumentFormat, ExtractOptions, ExtractionErrorCode } from './extract/index';
