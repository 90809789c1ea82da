package dev.trailquery.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trailquery.functions.testing.Emulators;
import dev.trailquery.lookup.LookupTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Pinned lookup tables in the results table (dynalite): what is read back is what was pinned. */
class PinnedTablesTest {
  static DynamoDbClient db;
  static String table;

  @BeforeAll
  static void start() {
    db = Emulators.dynamo();
    table = "pins-" + UUID.randomUUID().toString().substring(0, 8);
    Tables.createIfMissing(db, Tables.results(table));
  }

  static LookupTable parse(String name, String csv) throws Exception {
    return LookupTable.parse(name, csv.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void quotingLineBreaksAndEmptyCellsReadBackAsPinnedWithTheirVersion() throws Exception {
    String csv = "\ufeffk,v\r\n\"a,b\",\"say \"\"hi\"\"\"\r\nx,\"two\nlines\"\r\n,empty key\r\n";
    LookupTable t = parse("tricky", csv);
    new PinnedTables(db, table).pin(t);
    LookupTable back = new PinnedTables(db, table).load("tricky", t.version());
    assertThat(back.version()).isEqualTo(t.version());
    assertThat(back.columns()).containsExactly("k", "v");
    assertThat(back.rows())
        .map(List::of)
        .containsExactly(
            List.of("a,b", "say \"hi\""), List.of("x", "two\nlines"), List.of("", "empty key"));
  }

  @Test
  void aTableLargerThanOneItemIsPinnedInParts() throws Exception {
    // random hex does not compress below one part (350,000 bytes of gzip)
    StringBuilder sb = new StringBuilder("id,value\n");
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      sb.append(i)
          .append(',')
          .append(Long.toHexString(r.nextLong()))
          .append(Long.toHexString(r.nextLong()))
          .append('\n');
    }
    LookupTable t = parse("big", sb.toString());
    new PinnedTables(db, table).pin(t);
    int parts =
        db.query(
                q ->
                    q.tableName(table)
                        .keyConditionExpression("pk = :p")
                        .expressionAttributeValues(
                            java.util.Map.of(
                                ":p",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    "LT#big@" + t.version()))))
            .count();
    assertThat(parts).isGreaterThan(1);
    LookupTable back = new PinnedTables(db, table).load("big", t.version());
    assertThat(back.rows()).hasSize(20_000);
    assertThat(back.rows().get(12_345)).containsExactly(t.rows().get(12_345));
  }

  @Test
  void aMissingPinIsAClearError() {
    assertThatThrownBy(() -> new PinnedTables(db, table).load("gone", "0123456789abcdef"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lookup table 'gone'")
        .hasMessageContaining("subscribe again");
  }
}
