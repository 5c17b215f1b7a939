// Types of the custom element module (sender-check.js). Importing it defines <sender-check>.
import type { ProgressEvent, Report } from './pkg/sendercheck.js';

export class SenderCheckElement extends HTMLElement {
  static observedAttributes: string[];
  /** The last finished report, or null. */
  readonly report: Report | null;
  /** "full" (default), "compact" or "paste". */
  readonly mode: 'full' | 'compact' | 'paste';
  /** Runs the check again with the current attributes. */
  refresh(): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'sender-check': SenderCheckElement;
  }
  interface HTMLElementEventMap {
    'sendercheck-progress': CustomEvent<ProgressEvent>;
    'sendercheck-done': CustomEvent<Report>;
    'sendercheck-error': CustomEvent<{ message: string }>;
  }
}
