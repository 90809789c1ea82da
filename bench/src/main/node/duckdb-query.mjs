// DuckDB as a whole process (Node.js and @duckdb/node-api, installed by scripts/bench under
// bench/target/duckdb-node): the harness's SQL over a directory of CloudTrail .json.gz files.
// Usage: node duckdb-query.mjs DIR THREADS   prints the total count (the check value).
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, threads] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const sql =
  "SELECT r.eventSource, r.eventName, count(*) AS c FROM (SELECT unnest(Records) AS r FROM read_json('" +
  dir +
  "/**/*.json.gz', format = 'auto', columns = {Records: 'STRUCT(eventSource VARCHAR, eventName VARCHAR)[]'})) GROUP BY ALL";
const reader = await con.runAndReadAll(sql);
let total = 0n;
for (const row of reader.getRows()) {
  total += BigInt(row[2]);
}
console.log(`${reader.getRows().length} groups, ${total} events`);
