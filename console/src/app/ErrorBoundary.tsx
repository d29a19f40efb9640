/** A page that throws while rendering shows what happened instead of a blank screen. */
import { Component, type ReactNode } from 'react';
import { Button, EmptyState } from '../ui';

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    // Navigating elsewhere gives the next page a fresh start.
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <EmptyState title="Something went wrong on this page" action={<Button onClick={() => window.location.reload()}>Reload</Button>}>
        <code>{this.state.error.message}</code>
      </EmptyState>
    );
  }
}
