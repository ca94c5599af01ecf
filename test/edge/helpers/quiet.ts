// Imported first by every edge test: Powertools reads these when the handlers' middy stack is built
// (at import), so they must be set before any handler module loads.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_NODEJS_CONNECTION_REUSE_ENABLED = '1';
