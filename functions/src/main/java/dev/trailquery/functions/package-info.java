/**
 * Lambda handlers: ingest (S3 → SQS → DynamoDB aggregates), the query API and its fan-out worker.
 * They arrive with the "Ingest" and "Query API" issues; the engine they run is {@code
 * trailquery-engine}.
 */
package dev.trailquery.functions;
