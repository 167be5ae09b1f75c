// Schema version 5: usage requests indexed by time, covering every column the Costs view sums, so its period (7 or 30
// days) is read from the index alone, in order, however long the history. A plain index on `at` measured slower than
// scanning the whole table (a table lookup per request, in time order: bench/costsView.ts); this one matches the scan
// when the period is all the history and reads only the period when it is not. Its cost: about the table's size again.

export const SCHEMA_V5_USAGE_REQUESTS_AT = `
CREATE INDEX usage_requests_at ON usage_requests (at, agent_id, model, input, output, cache_read, cache_write, cache_write_1h);
`;
