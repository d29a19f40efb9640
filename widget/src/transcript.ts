/**
 * What the widget has shown, independent of the DOM: stored messages ordered by (createdAt, id)
 * and each id once, however often the socket delivers it (history after a reconnect, a live frame
 * racing the history frame), plus the visitor's messages not yet confirmed by the server.
 */
import type { MessageContentDto } from '../../core/api/message-content';

/** A stored message as the chat socket sends it: text plus the API's content parts. */
export interface ChatMessage extends MessageContentDto {
  id: string;
  author: 'contact' | 'bot' | 'agent' | 'system';
  text: string;
  createdAt: string;
  source?: string | null;
  /** The agent's display name, when the server provides one. */
  agentName?: string | null;
}

export interface PendingMessage {
  clientId: string;
  text: string;
}

const before = (a: ChatMessage, b: ChatMessage) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

export class Transcript {
  readonly messages: ChatMessage[] = [];
  readonly pending: PendingMessage[] = [];
  private readonly ids = new Set<string>();

  /** Adds a stored message; returns its index, or -1 when it was already shown. */
  add(message: ChatMessage): number {
    if (this.ids.has(message.id)) return -1;
    this.ids.add(message.id);
    let index = this.messages.length;
    while (index > 0 && before(message, this.messages[index - 1])) index--;
    this.messages.splice(index, 0, message);
    if (message.author === 'contact') this.confirm(message.text);
    return index;
  }

  /**
   * A message seen again: when its content changed (a file stored or failed, a delivery receipt)
   * the held copy is replaced and returned to redraw; null when nothing changed; undefined when it
   * was never added (then `add` it).
   */
  replace(message: ChatMessage): ChatMessage | null | undefined {
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index === -1) return undefined;
    const merged = { ...this.messages[index], ...message };
    if (JSON.stringify(merged) === JSON.stringify(this.messages[index])) return null;
    this.messages[index] = merged;
    return merged;
  }

  /** The id a reconnect asks the server to continue after. */
  lastId(): string | undefined {
    return this.messages[this.messages.length - 1]?.id;
  }

  queue(text: string, clientId: string): PendingMessage {
    const pending = { clientId, text };
    this.pending.push(pending);
    return pending;
  }

  /** The server stored one of our messages: the oldest pending one with that text is done. */
  private confirm(text: string): PendingMessage | undefined {
    const index = this.pending.findIndex((p) => p.text.trim() === text.trim());
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  isPending(clientId: string): boolean {
    return this.pending.some((p) => p.clientId === clientId);
  }
}
