package dev.trailquery.cli.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request/response on a {@link HttpFront} connection, behind the JDK's {@link HttpExchange}
 * interface (so that handlers written for the JDK server run unchanged), with its semantics for
 * {@link #sendResponseHeaders}: a length above 0 is the Content-Length, -1 means no body, 0 a
 * chunked body.
 */
final class FrontExchange extends HttpExchange {
  private final RequestHead head;
  private final OutputStream raw;
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private final Bodies.Body body;
  private InputStream requestBody;
  private OutputStream responseBody;
  private OutputStream framed; // the framing stream behind responseBody, once headers are sent
  private int code = -1;
  private boolean closeAfter;

  FrontExchange(
      RequestHead head,
      InputStream in,
      OutputStream raw,
      InetSocketAddress local,
      InetSocketAddress remote) {
    this.head = head;
    this.raw = raw;
    this.local = local;
    this.remote = remote;
    this.body =
        head.bodyLength() < 0 ? new Bodies.Chunked(in) : new Bodies.Fixed(in, head.bodyLength());
    this.requestBody = body;
    this.closeAfter = head.close();
    this.responseBody =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (framed == null) {
              throw new IOException("sendResponseHeaders was not called");
            }
            framed.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            if (framed != null) {
              framed.flush();
            }
          }

          @Override
          public void close() throws IOException {
            if (framed != null) {
              framed.close();
            }
          }
        };
  }

  @Override
  public Headers getRequestHeaders() {
    return head.headers();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return head.uri();
  }

  @Override
  public String getRequestMethod() {
    return head.method();
  }

  @Override
  public HttpContext getHttpContext() {
    return null; // one handler serves every path
  }

  @Override
  public void close() {
    try {
      if (framed != null) {
        framed.close();
      }
    } catch (IOException e) {
      closeAfter = true;
    }
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    if (code >= 0) {
      throw new IOException("headers already sent");
    }
    if (rCode < 100 || rCode > 999) {
      throw new IllegalArgumentException("bad status " + rCode);
    }
    code = rCode;
    boolean isHead = head.method().equals("HEAD");
    boolean noBody = rCode == 204 || rCode == 304 || rCode < 200;
    responseHeaders.remove("Content-Length");
    responseHeaders.remove("Transfer-Encoding");
    if (noBody || responseLength == -1) {
      if (!noBody && !isHead) {
        responseHeaders.set("Content-Length", "0");
      }
      framed = new Bodies.FixedOut(raw, 0, false);
    } else if (responseLength > 0) {
      responseHeaders.set("Content-Length", Long.toString(responseLength));
      framed = new Bodies.FixedOut(raw, responseLength, isHead);
    } else if (isHead) {
      framed = new Bodies.FixedOut(raw, 0, true);
    } else if (head.http10()) {
      closeAfter = true; // the body ends where the connection does
      framed = new Bodies.FixedOut(raw, Long.MAX_VALUE, false);
    } else {
      responseHeaders.set("Transfer-Encoding", "chunked");
      framed = new Bodies.ChunkedOut(raw);
    }
    if (closeAfter) {
      responseHeaders.set("Connection", "close");
    } else if (head.http10()) {
      responseHeaders.set("Connection", "keep-alive");
    }
    StringBuilder sb = new StringBuilder(256);
    sb.append("HTTP/1.1 ").append(rCode).append(' ').append(Status.reason(rCode)).append("\r\n");
    for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
      for (String v : h.getValue()) {
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
          throw new IllegalArgumentException("a line break in response header " + h.getKey());
        }
        sb.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    sb.append("\r\n");
    raw.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (framed instanceof Bodies.FixedOut f && f.complete()) {
      raw.flush();
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return remote;
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return local;
  }

  @Override
  public String getProtocol() {
    return head.version();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      requestBody = i;
    }
    if (o != null) {
      responseBody = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /** Whether a response was started. */
  boolean sent() {
    return code >= 0;
  }

  /**
   * After the handler: whether the connection may carry another request (the response complete, the
   * request body read to its end or drained within {@code drain} bytes).
   */
  boolean reusable(long drain) {
    if (closeAfter) {
      return false;
    }
    if (framed instanceof Bodies.FixedOut f && !f.complete()) {
      return false;
    }
    try {
      return body.drain(drain);
    } catch (IOException e) {
      return false;
    }
  }
}
