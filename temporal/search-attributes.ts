/** Search attributes (core/workflows.ts) as dev-server flags. */
import { SEARCH_ATTRIBUTES } from '../core/workflows';

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool', DATETIME: 'Datetime', DOUBLE: 'Double' };

export function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${CLI_TYPE[type]}`]);
}
