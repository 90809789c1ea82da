package dev.trailquery.lang;

public enum Severity {
  ERROR,
  WARNING
}
