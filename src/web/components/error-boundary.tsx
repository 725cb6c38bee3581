import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Catches rendering errors so a bug shows a message and a way back, never a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('render error', error, info.componentStack);
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    // Navigating elsewhere clears the error.
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="error-box">
        <h2>Something went wrong on this screen</h2>
        <p>{this.state.error.message}</p>
        <p>
          <a href="/">Back to the connectors</a> · <button type="button" onClick={() => this.setState({ error: null })}>Try again</button>
        </p>
      </div>
    );
  }
}
