package dev.trailquery.cli;

/** Entry point of {@code ./trailquery}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("trailquery");
  }
}
