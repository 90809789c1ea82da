package dev.trailquery.functions.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.json.Mappers;
import java.io.IOException;
import java.util.Base64;

/**
 * A worker's answer within Lambda's payload limit. A synchronous invocation's response is at most
 * {@value #LAMBDA_PAYLOAD_LIMIT} bytes; a partial state travels inline (base64, {@code {"state":
 * ..., "bytes": n}}) up to {@value #INLINE_STATE_BYTES} bytes (4 MiB once encoded), and above that
 * it is spilled ({@link StateSpill}: the results bucket) and the answer names it ({@code
 * {"stateKey": ..., "bytes": n}}). Without a spill, a state over the inline bound is an error that
 * says so (never a response Lambda would refuse with a bare 502).
 */
public final class WorkerReply {
  /** Lambda's limit on a synchronous invocation's request and response payloads. */
  public static final int LAMBDA_PAYLOAD_LIMIT = 6_291_556;

  /** The largest partial state answered inline: 3 MiB (4 MiB in base64, well under 6 MB). */
  public static final int INLINE_STATE_BYTES = 3 << 20;

  private WorkerReply() {}

  /** The answer for {@code state}, spilling it when over {@code inlineMax} bytes. */
  public static ObjectNode encode(byte[] state, StateSpill spill, int inlineMax)
      throws IOException {
    ObjectNode reply = Mappers.MAPPER.createObjectNode();
    if (state.length > inlineMax) {
      if (spill == null) {
        throw new IOException(
            "the partial state is "
                + state.length
                + " bytes, over the "
                + inlineMax
                + " a worker answers inline, and no results bucket is configured to spill it to");
      }
      reply.put("stateKey", spill.put(state));
    } else {
      reply.put("state", Base64.getEncoder().encodeToString(state));
    }
    reply.put("bytes", state.length);
    return reply;
  }

  public static ObjectNode encode(byte[] state, StateSpill spill) throws IOException {
    return encode(state, spill, INLINE_STATE_BYTES);
  }

  /** The partial state of a worker's answer, inline or taken from {@code spill}. */
  public static byte[] decode(JsonNode reply, StateSpill spill) throws IOException {
    JsonNode key = reply.get("stateKey");
    if (key != null && key.isTextual()) {
      if (spill == null) {
        throw new IOException("the worker spilled its state, but no spill store is configured");
      }
      return spill.take(key.asText());
    }
    JsonNode inline = reply.get("state");
    if (inline == null || !inline.isTextual()) {
      throw new IOException("a worker answer without a state: " + brief(reply.toString()));
    }
    return Base64.getDecoder().decode(inline.asText());
  }

  private static String brief(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
