/** Search attributes every workflow sets (DESIGN.md §2), as dev-server flags and for the setup script. */
import { SEARCH_ATTRIBUTES } from '../workflows/messages';

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool', DATETIME: 'Datetime', DOUBLE: 'Double' };

export function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${CLI_TYPE[type]}`]);
}
