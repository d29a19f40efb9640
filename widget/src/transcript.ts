/**
 * What the widget has shown, independent of the DOM: stored messages ordered by (createdAt, id)
 * and each id once, however often the socket delivers it (history after a reconnect, a live frame
 * racing the history frame), plus the visitor's messages not yet confirmed by the server.
 */
export interface ChatMessage {
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
