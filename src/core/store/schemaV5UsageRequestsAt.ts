// Schema version 5: usage requests indexed by time, so the Costs view reads its period (7 or 30 days) without
// scanning a longer history.

export const SCHEMA_V5_USAGE_REQUESTS_AT = `
CREATE INDEX usage_requests_at ON usage_requests (at);
`;
