/**
 * What OpenAI refuses, in the words and shapes it refuses it with, so the fake server
 * (openai-server.ts) is as strict as the provider: a missing or unknown key is a 401
 * `invalid_api_key`; a chat request without a model, with no messages, an unknown role or a tool
 * message that answers no pending tool call, content of the wrong type or a malformed tool is a 400
 * `invalid_request_error` naming the parameter.
 */

export interface ProviderError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const invalid = (message: string, param: string | null, code: string | null = null): ProviderError => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});

/** The key a request carries must be one of `keys` (any non-empty key when none are set). */
export function checkKey(authorization: string | undefined, keys?: readonly string[]): ProviderError | null {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const unauthorized = (message: string): ProviderError => ({ status: 401, body: { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } });
  if (!key) return unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
  if (keys && !keys.includes(key)) return unauthorized(`Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`);
  return null;
}

/** A chat completion body: model, messages, roles, and tool messages answering the assistant's tool calls in order. */
export function checkChatBody(body: unknown): ProviderError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return invalid('We could not parse the JSON body of your request.', null);
  const { model, messages, tools } = body as { model?: unknown; messages?: unknown; tools?: unknown };
  if (typeof model !== 'string' || !model) return invalid('you must provide a model parameter', 'model');
  if (!Array.isArray(messages)) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!messages.length) return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  const badTool = checkTools(tools);
  if (badTool) return badTool;
  // Tool call ids the last assistant message asked for and no tool message has answered yet.
  let pending: { index: number; ids: Set<string> } | null = null;
  for (const [i, message] of messages.entries()) {
    const role = (message as { role?: unknown })?.role;
    if (typeof role !== 'string' || !ROLES.includes(role)) {
      return invalid(`Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `messages[${i}].role`, 'invalid_value');
    }
    const m = message as { content?: unknown; tool_call_id?: unknown; tool_calls?: { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } }[] };
    if (m.content !== undefined && m.content !== null && typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return invalid(`Invalid type for 'messages[${i}].content': expected one of a string or array of objects, but got ${typeof m.content} instead.`, `messages[${i}].content`, 'invalid_type');
    }
    if (role === 'tool') {
      if (typeof m.tool_call_id !== 'string') return invalid("Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.", `messages.[${i}].tool_call_id`);
      if (!pending?.ids.delete(m.tool_call_id)) return invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      continue;
    }
    if (pending?.ids.size) return unanswered(pending);
    pending = null;
    const callIndex = Array.isArray(m.tool_calls) ? m.tool_calls.findIndex((c) => typeof c?.id !== 'string' || c.type !== 'function' || typeof c.function?.name !== 'string' || typeof c.function.arguments !== 'string') : -1;
    if (callIndex >= 0) return invalid(`Missing required parameter: 'messages[${i}].tool_calls[${callIndex}]' needs an id, type 'function' and a function name and arguments.`, `messages[${i}].tool_calls[${callIndex}]`, 'missing_required_parameter');
    if (role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length) pending = { index: i, ids: new Set(m.tool_calls.map((c) => String(c?.id))) };
    else if (m.content === undefined || m.content === null) return invalid(`Invalid value for 'content': expected a string, got null.`, `messages.[${i}].content`);
  }
  return pending?.ids.size ? unanswered(pending) : null;
}

/** Each tool a function with a name OpenAI accepts and object parameters. */
function checkTools(tools: unknown): ProviderError | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return invalid("Invalid type for 'tools': expected an array of objects.", 'tools', 'invalid_type');
  for (const [i, tool] of tools.entries()) {
    const { type, function: fn } = (tool ?? {}) as { type?: unknown; function?: { name?: unknown; parameters?: unknown } };
    if (type !== 'function') return invalid(`Invalid value: '${String(type)}'. Supported values are: 'function' and 'custom'.`, `tools[${i}].type`, 'invalid_value');
    if (typeof fn?.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
      return invalid(`Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `tools[${i}].function.name`, 'invalid_value');
    }
    if (fn.parameters !== undefined && (typeof fn.parameters !== 'object' || fn.parameters === null || Array.isArray(fn.parameters))) {
      return invalid(`Invalid type for 'tools[${i}].function.parameters': expected an object.`, `tools[${i}].function.parameters`, 'invalid_type');
    }
  }
  return null;
}

const unanswered = (pending: { index: number; ids: Set<string> }) =>
  invalid(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending.ids].join(', ')}`,
    `messages.[${pending.index}].role`,
  );

/** An embeddings body: a model and a non-empty input. */
export function checkEmbeddingsBody(body: unknown): ProviderError | null {
  const { model, input } = (body ?? {}) as { model?: unknown; input?: unknown };
  if (typeof model !== 'string' || !model) return invalid('you must provide a model parameter', 'model');
  const texts = Array.isArray(input) ? input : [input];
  if (!texts.length || texts.some((t) => t === '' || t === undefined || t === null)) return invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
  return null;
}
