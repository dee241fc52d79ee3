// The GraphQL-over-HTTP audit (graphql-http's own, the spec's reference implementation)
// run against one server: `node gateway/http_audit.mjs URL` prints one JSON array of
// {id, name, status, reason} on stdout; status is ok, or error (a MUST broken), warn (a
// SHOULD) or notice (a MAY). tests/e2e/graph/test_graph_http_audit.py reads it.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node gateway/http_audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
const plain = results.map((r) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  reason: r.status === 'ok' ? null : r.reason,
}));
console.log(JSON.stringify(plain));
