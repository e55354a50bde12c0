// Worker entry (placeholder until the worker pool lands).
export {}
