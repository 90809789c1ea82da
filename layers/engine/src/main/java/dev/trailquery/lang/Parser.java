package dev.trailquery.lang;

import com.google.re2j.Pattern;
import dev.trailquery.lang.Token.Kind;
import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Expr;
import dev.trailquery.lang.ast.Expr.BinaryOp;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import dev.trailquery.lang.ast.SortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Logs Insights query parser: hand-written recursive descent over the tokens of {@link Lexer},
 * one method per grammar rule (the rule is in the comment above each method).
 *
 * <p>A syntax error stops the command it is in; parsing resumes after the next {@code |}, so one
 * call reports an error per broken command. Static checks (placement of {@code sort}, {@code limit}
 * and {@code dedup}, number of {@code stats}) run when the syntax is clean. Warnings about queries
 * that probably match nothing ({@code TQ3001}, {@code TQ3002}) end up in {@link Query#warnings()}.
 *
 * <p>Codes: {@link ErrorCode} (TQ1xxx syntax, TQ20xx command placement, TQ3001/TQ3002 warnings).
 */
public final class Parser {
  /** Logs Insights commands that trailquery recognises but does not run. */
  private static final java.util.Set<String> UNSUPPORTED =
      java.util.Set.of(
          "pattern",
          "anomaly",
          "diff",
          "unmask",
          "filterindex",
          "source",
          "join",
          "addtotals",
          "accum",
          "autoregress",
          "filldown",
          "fillmissing",
          "logcompare",
          "cidrlookup",
          "outlier",
          "appendcols",
          "sessionize",
          "relevantfields",
          "estimate");

  /** Longest query accepted, in characters. */
  public static final int MAX_LENGTH = 100_000;

  /**
   * Deepest expression accepted: every parenthesis, call, prefix operator and every operator of a
   * chain ({@code a or b or c} is two levels) counts one level.
   */
  public static final int MAX_DEPTH = 200;

  /** Most {@code stats} commands in one query. */
  public static final int MAX_STATS = 10;

  private static final String COMMANDS =
      "fields, display, filter, stats, sort, limit, parse, dedup, unnest, expand, countFrequent,"
          + " lookup";

  private final String src;
  private final Lexer lexer;
  private final List<Token> ahead = new ArrayList<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> warnings = new ArrayList<>();
  private int lastEnd;
  private int depth;
  private boolean inSubquery;

  private Parser(String source) {
    this.src = source;
    this.lexer = new Lexer(source);
  }

  /**
   * Parses a query. Throws {@link QueryException} with every error found; warnings are in {@link
   * Query#warnings()}.
   */
  public static Query parse(String source) {
    Objects.requireNonNull(source, "source");
    if (source.length() > MAX_LENGTH) {
      throw new QueryException(
          source,
          Diagnostic.error(
              ErrorCode.QUERY_TOO_LONG.code(),
              "the query is "
                  + source.length()
                  + " characters long; the limit is "
                  + MAX_LENGTH
                  + " characters",
              new Span(MAX_LENGTH, source.length())));
    }
    return new Parser(source).parseQuery();
  }

  /** A syntax error: unwinds to the command loop, which records it and skips to the next '|'. */
  private static final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Diagnostic diagnostic;

    ParseError(Diagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  // query = command { "|" command } EOF
  private Query parseQuery() {
    List<Command> commands = new ArrayList<>();
    if (peek().kind() == Kind.EOF) {
      errors.add(
          Diagnostic.error(ErrorCode.EXPECTED_COMMAND.code(), "expected a command", Span.at(0)));
    } else {
      while (true) {
        try {
          Command command = parseCommand();
          Token after = peek();
          if (after.kind() != Kind.PIPE && after.kind() != Kind.EOF) {
            throw unexpected(after, "'|' or the end of the query");
          }
          commands.add(command);
        } catch (ParseError e) {
          errors.add(e.diagnostic);
          depth = 0;
          while (peek().kind() != Kind.PIPE && peek().kind() != Kind.EOF) {
            advance();
          }
        }
        if (peek().kind() == Kind.EOF) {
          break;
        }
        advance(); // '|'
      }
    }
    if (errors.isEmpty()) {
      checkCommands(commands);
    }
    if (!errors.isEmpty()) {
      throw new QueryException(src, errors);
    }
    return new Query(src, commands, warnings);
  }

  // command = fields | display | filter | stats | sort | limit | parse | dedup
  private Command parseCommand() {
    Token word = peek();
    if (word.kind() != Kind.NAME || word.quoted()) {
      throw unexpected(word, "a command");
    }
    String lower = word.text().toLowerCase(Locale.ROOT);
    switch (lower) {
      case "fields",
          "display",
          "filter",
          "where",
          "stats",
          "sort",
          "limit",
          "head",
          "parse",
          "dedup",
          "unnest",
          "expand",
          "countfrequent",
          "lookup" ->
          advance();
      default ->
          throw error(
              ErrorCode.UNKNOWN_COMMAND.code(),
              UNSUPPORTED.contains(lower)
                  ? "'"
                      + word.text()
                      + "' is a Logs Insights command trailquery does not support; supported: "
                      + COMMANDS
                  : "unknown command '" + word.text() + "'; expected one of " + COMMANDS,
              word.span());
    }
    int start = word.start();
    return switch (lower) {
      case "fields" -> new Command.Fields(parseProjections(), spanFrom(start));
      case "display" -> new Command.Display(parseProjections(), spanFrom(start));
      case "filter", "where" -> new Command.Filter(parseExpr(), spanFrom(start));
      case "stats" -> parseStats(start);
      case "sort" -> parseSort(start);
      case "limit", "head" -> parseLimit(start, lower);
      case "parse" -> parseParse(start);
      case "unnest" -> parseUnnest(start);
      case "expand" -> parseExpand(start);
      case "countfrequent" -> new Command.CountFrequent(parseProjections(), spanFrom(start));
      case "lookup" -> parseLookup(start);
      default -> parseDedup(start);
    };
  }

  // unnest = "unnest" expr "into" name
  private Command parseUnnest(int start) {
    Expr source = parseExpr();
    if (!(peek().kind() == Kind.NAME
        && !peek().quoted()
        && peek().text().equalsIgnoreCase("into"))) {
      throw unexpected(peek(), "'into' and the name of the field that receives each element");
    }
    advance();
    Token name = expectName("a field name after 'into'");
    return new Command.Unnest(source, new Command.Name(name.value(), name.span()), spanFrom(start));
  }

  // expand = "expand" name
  private Command parseExpand(int start) {
    Token name = expectName("the name of a field holding a JSON array");
    if (peek().kind() == Kind.LPAREN) {
      throw unexpected(peek(), "'|' (expand takes a field name)");
    }
    return new Command.Expand(new Expr.FieldRef(name.value(), name.span()), spanFrom(start));
  }

  // lookup = "lookup" table column ["as" name] {"," column ["as" name]}
  //          ("OUTPUT" | "OUTPUTNEW") column ["as" name] {"," column ["as" name]}
  private Command parseLookup(int start) {
    Token table = expectName("the name of a lookup table");
    List<Command.Column> matches = new ArrayList<>();
    do {
      matches.add(lookupColumn("a column of the lookup table to match"));
    } while (accept(Kind.COMMA));
    Token mode = peek();
    boolean isMode =
        mode.kind() == Kind.NAME
            && !mode.quoted()
            && (mode.text().equalsIgnoreCase("output")
                || mode.text().equalsIgnoreCase("outputnew"));
    if (!isMode) {
      throw unexpected(mode, "',' or OUTPUT or OUTPUTNEW and the columns to copy");
    }
    advance();
    List<Command.Column> outputs = new ArrayList<>();
    do {
      outputs.add(lookupColumn("a column of the lookup table to copy"));
    } while (accept(Kind.COMMA));
    return new Command.Lookup(
        new Command.Name(table.value(), table.span()),
        matches,
        mode.text().equalsIgnoreCase("outputnew"),
        outputs,
        spanFrom(start));
  }

  private Command.Column lookupColumn(String what) {
    Token column = peek();
    if (column.kind() != Kind.NAME
        || column.isAnyKeyword()
        || (!column.quoted()
            && (column.text().equalsIgnoreCase("output")
                || column.text().equalsIgnoreCase("outputnew")))) {
      throw unexpected(column, what);
    }
    advance();
    Command.Name col = new Command.Name(column.value(), column.span());
    if (peek().isKeyword("as")) {
      advance();
      Token field = expectName("a field name after 'as'");
      return new Command.Column(col, new Command.Name(field.value(), field.span()));
    }
    return new Command.Column(col, col);
  }

  // projections = projection { "," projection }
  private List<Projection> parseProjections() {
    List<Projection> items = new ArrayList<>();
    do {
      items.add(parseProjection());
    } while (accept(Kind.COMMA));
    return items;
  }

  // projection = expr [ "as" name ]
  private Projection parseProjection() {
    int start = peek().start();
    Expr expr = parseExpr();
    int exprEnd = lastEnd;
    String alias = null;
    if (peek().isKeyword("as")) {
      advance();
      alias = expectName("a field name after 'as'").value();
    }
    String name;
    if (alias != null) {
      name = alias;
    } else if (expr instanceof Expr.FieldRef f) {
      name = f.name();
    } else {
      name = src.substring(start, exprEnd);
    }
    return new Projection(expr, alias, name, spanFrom(start));
  }

  // stats = "stats" projections [ "by" projections ]
  private Command parseStats(int start) {
    List<Projection> aggregates = parseProjections();
    List<Projection> groupBy = List.of();
    if (peek().isKeyword("by")) {
      advance();
      groupBy = parseProjections();
    }
    return new Command.Stats(aggregates, groupBy, spanFrom(start));
  }

  // sort = "sort" sortKey { "," sortKey } ;  sortKey = expr [ "asc" | "desc" ]
  private Command parseSort(int start) {
    List<SortKey> keys = new ArrayList<>();
    do {
      int keyStart = peek().start();
      Expr expr = parseExpr();
      boolean descending = false;
      boolean explicit = false;
      if (peek().isKeyword("asc") || peek().isKeyword("desc")) {
        descending = advance().isKeyword("desc");
        explicit = true;
      }
      keys.add(new SortKey(expr, descending, explicit, spanFrom(keyStart)));
    } while (accept(Kind.COMMA));
    return new Command.Sort(keys, spanFrom(start));
  }

  // limit = ("limit" | "head") integer
  private Command parseLimit(int start, String word) {
    Token t = peek();
    if (t.kind() != Kind.NUMBER) {
      throw unexpected(t, "a positive integer after '" + word + "'");
    }
    advance();
    long count = 0;
    if (t.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        count = Long.parseLong(t.text());
      } catch (NumberFormatException e) {
        throw error(
            ErrorCode.BAD_LIMIT.code(), "'" + t.text() + "' is too large for " + word, t.span());
      }
    }
    if (count <= 0) {
      throw error(
          ErrorCode.BAD_LIMIT.code(),
          word + " needs a positive integer; found '" + t.text() + "'",
          t.span());
    }
    return new Command.Limit(count, spanFrom(start));
  }

  // parse = "parse" primary ( string "as" name { "," name } | regex )
  private Command parseParse(int start) {
    Expr source = parsePrimary();
    if (peek().kind() == Kind.SLASH) {
      relexRegex();
    }
    Token pattern = peek();
    switch (pattern.kind()) {
      case STRING -> {
        advance();
        Expr.StringLit glob = new Expr.StringLit(pattern.value(), pattern.span());
        if (!peek().isKeyword("as")) {
          throw unexpected(peek(), "'as' and the names of the values the '*' capture");
        }
        advance();
        int namesStart = peek().start();
        List<Command.Name> names = new ArrayList<>();
        do {
          Token name = expectName("a field name");
          names.add(new Command.Name(name.value(), name.span()));
        } while (accept(Kind.COMMA));
        long stars = glob.value().chars().filter(c -> c == '*').count();
        if (stars != names.size()) {
          throw error(
              ErrorCode.PARSE_NAMES_MISMATCH.code(),
              (stars == 0 ? "the pattern has no '*'" : "the pattern has " + stars + " '*'")
                  + " but "
                  + plural(names.size(), "name")
                  + (names.size() == 1 ? " follows" : " follow")
                  + " 'as'; give one name per '*'",
              spanFrom(namesStart));
        }
        return new Command.Parse(source, glob, null, names, spanFrom(start));
      }
      case REGEX -> {
        Expr.RegexLit regex = regex(pattern);
        List<Command.Name> names = groupNames(pattern);
        if (names.isEmpty()) {
          throw error(
              ErrorCode.PARSE_NAMES_MISMATCH.code(),
              "the regex has no named group; name each value to extract with (?<name>...)",
              pattern.span());
        }
        return new Command.Parse(source, null, regex, names, spanFrom(start));
      }
      default -> throw unexpected(pattern, "a \"pattern with * stars\" or a /regex/ to parse with");
    }
  }

  // dedup = "dedup" name { "," name }
  private Command parseDedup(int start) {
    List<Expr.FieldRef> fields = new ArrayList<>();
    do {
      Token name = expectName("a field name");
      if (peek().kind() == Kind.LPAREN) {
        throw unexpected(peek(), "',' or '|' (dedup takes field names only)");
      }
      fields.add(new Expr.FieldRef(name.value(), name.span()));
    } while (accept(Kind.COMMA));
    return new Command.Dedup(fields, spanFrom(start));
  }

  /** The rules about which commands may follow which (run once the syntax is clean). */
  private void checkCommands(List<Command> commands) {
    int lastStats = -1;
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i) instanceof Command.Stats
          || commands.get(i) instanceof Command.CountFrequent) {
        lastStats = i;
      }
    }
    int stats = 0;
    boolean afterDedup = false;
    for (int i = 0; i < commands.size(); i++) {
      Command c = commands.get(i);
      if (afterDedup && !(c instanceof Command.Limit)) {
        errors.add(
            Diagnostic.error(
                ErrorCode.COMMAND_AFTER_DEDUP.code(),
                "'" + commandName(c) + "' cannot follow dedup; only limit may come after dedup",
                c.span()));
      }
      if (c instanceof Command.Stats || c instanceof Command.CountFrequent) {
        stats++;
        if (stats == MAX_STATS + 1) {
          errors.add(
              Diagnostic.error(
                  ErrorCode.TOO_MANY_STATS.code(),
                  "too many stats commands; a query may have at most " + MAX_STATS,
                  c.span()));
        }
      }
      if ((c instanceof Command.Sort || c instanceof Command.Limit) && i < lastStats) {
        errors.add(
            Diagnostic.error(
                ErrorCode.SORT_OR_LIMIT_BEFORE_STATS.code(),
                commandName(c) + " must come after the last stats",
                c.span()));
      }
      afterDedup |= c instanceof Command.Dedup;
    }
  }

  private static String commandName(Command c) {
    return switch (c) {
      case Command.Fields x -> "fields";
      case Command.Display x -> "display";
      case Command.Filter x -> "filter";
      case Command.Stats x -> "stats";
      case Command.Sort x -> "sort";
      case Command.Limit x -> "limit";
      case Command.Parse x -> "parse";
      case Command.Dedup x -> "dedup";
      case Command.Unnest x -> "unnest";
      case Command.Expand x -> "expand";
      case Command.CountFrequent x -> "countFrequent";
      case Command.Lookup x -> "lookup";
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions, lowest precedence first

  // expr = or
  private Expr parseExpr() {
    return parseOr();
  }

  // or = and { "or" and }
  private Expr parseOr() {
    int saved = depth;
    try {
      int start = peek().start();
      Expr left = parseAnd();
      while (peek().isKeyword("or")) {
        deeper(advance());
        left = new Expr.Binary(BinaryOp.OR, left, parseAnd(), spanFrom(start));
      }
      return left;
    } finally {
      depth = saved;
    }
  }

  // and = not { "and" not }
  private Expr parseAnd() {
    int saved = depth;
    try {
      int start = peek().start();
      Expr left = parseNot();
      while (peek().isKeyword("and")) {
        deeper(advance());
        left = new Expr.Binary(BinaryOp.AND, left, parseNot(), spanFrom(start));
      }
      return left;
    } finally {
      depth = saved;
    }
  }

  // not = ( "not" | "!" ) not | comparison
  private Expr parseNot() {
    Token t = peek();
    if (t.isKeyword("not") || t.kind() == Kind.BANG) {
      int saved = depth;
      try {
        advance();
        deeper(t);
        Expr operand = parseNot();
        return new Expr.Unary(Expr.UnaryOp.NOT, operand, spanFrom(t.start()));
      } finally {
        depth = saved;
      }
    }
    return parseComparison();
  }

  // comparison = additive [ ("=" | "!=" | "<" | "<=" | ">" | ">=") additive
  //                       | ["not"] "like" (string | regex)
  //                       | "=~" regex
  //                       | ["not"] "in" list ]
  // (non-associative: a second comparison operator is an error)
  private Expr parseComparison() {
    int start = peek().start();
    Expr left = parseAdditive();
    Token t = peek();
    BinaryOp op = comparisonOp(t);
    Expr result;
    if (op != null) {
      advance();
      Expr right = parseAdditive();
      Expr.Binary b = new Expr.Binary(op, left, right, spanFrom(start));
      checkComparison(b);
      result = b;
    } else if (t.kind() == Kind.MATCH) {
      advance();
      Token p = patternToken();
      if (p.kind() != Kind.REGEX) {
        throw unexpected(p, "a /regex/ after '=~'");
      }
      result = new Expr.Like(left, regex(p), false, spanFrom(start));
    } else if (t.isKeyword("like") || t.isKeyword("in") || isNegatedMatch()) {
      boolean negated = false;
      if (t.isKeyword("not")) {
        advance();
        negated = true;
      }
      Token word = advance();
      if (word.isKeyword("like")) {
        Token p = patternToken();
        Expr pattern =
            switch (p.kind()) {
              case STRING -> {
                advance();
                yield new Expr.StringLit(p.value(), p.span());
              }
              case REGEX -> regex(p);
              default -> throw unexpected(p, "a \"string\" or a /regex/ after 'like'");
            };
        result = new Expr.Like(left, pattern, negated, spanFrom(start));
      } else if (peek().kind() == Kind.LPAREN) {
        result = parseSubquery(left, negated, start);
      } else {
        result = new Expr.In(left, parseList(), negated, spanFrom(start));
      }
    } else {
      return left;
    }
    Token next = peek();
    if (comparisonOp(next) != null
        || next.kind() == Kind.MATCH
        || next.isKeyword("like")
        || next.isKeyword("in")
        || isNegatedMatch()) {
      throw error(
          ErrorCode.UNEXPECTED_TOKEN.code(),
          "unexpected "
              + next.describe()
              + ": comparisons do not chain; join them with 'and' or use parentheses",
          next.span());
    }
    return result;
  }

  // subquery = "(" command { "|" command } ")"
  private Expr parseSubquery(Expr subject, boolean negated, int start) {
    Token open = advance(); // '('
    if (peek().kind() != Kind.NAME || peek().quoted()) {
      throw unexpected(open, "'[' to start the list after 'in' (or a subquery: in ( QUERY ))");
    }
    if (inSubquery) {
      throw error(
          ErrorCode.NESTED_SUBQUERY.code(),
          "subqueries do not nest: an inner query cannot hold another",
          open.span());
    }
    int innerStart = peek().start();
    List<Command> inner = new ArrayList<>();
    inSubquery = true;
    try {
      while (true) {
        inner.add(parseCommand());
        if (!accept(Kind.PIPE)) {
          break;
        }
      }
    } finally {
      inSubquery = false;
    }
    int innerEnd = lastEnd;
    expect(Kind.RPAREN, "'|' or ')' to end the subquery");
    int before = errors.size();
    checkCommands(inner);
    if (errors.size() > before) {
      throw new ParseError(errors.removeLast());
    }
    String text = src.substring(innerStart, innerEnd);
    // spans inside the inner query stay those of the whole query text
    Query q = new Query(src, inner, List.of());
    return new Expr.InQuery(subject, q, text, negated, spanFrom(start));
  }

  /** At {@code not like} or {@code not in}. */
  private boolean isNegatedMatch() {
    return peek().isKeyword("not") && (peek(1).isKeyword("like") || peek(1).isKeyword("in"));
  }

  private static BinaryOp comparisonOp(Token t) {
    return switch (t.kind()) {
      case EQ -> BinaryOp.EQ;
      case NE -> BinaryOp.NE;
      case LT -> BinaryOp.LT;
      case LE -> BinaryOp.LE;
      case GT -> BinaryOp.GT;
      case GE -> BinaryOp.GE;
      default -> null;
    };
  }

  /** The token after like/=~, read as a regex even if the lexer took its '/' for division. */
  private Token patternToken() {
    if (peek().kind() == Kind.SLASH) {
      relexRegex();
    }
    return peek();
  }

  // list = "[" [ item { "," item } ] "]" ;  item = string | number | "-" number
  private Expr.ListLit parseList() {
    Token open = peek();
    if (open.kind() != Kind.LBRACKET) {
      throw unexpected(open, "'[' to start the list after 'in'");
    }
    advance();
    List<Expr> items = new ArrayList<>();
    if (peek().kind() != Kind.RBRACKET) {
      do {
        items.add(parseListItem());
      } while (accept(Kind.COMMA));
    }
    expect(Kind.RBRACKET, "',' or ']'");
    return new Expr.ListLit(items, spanFrom(open.start()));
  }

  private Expr parseListItem() {
    Token t = peek();
    switch (t.kind()) {
      case STRING -> {
        advance();
        return new Expr.StringLit(t.value(), t.span());
      }
      case NUMBER -> {
        advance();
        return number(t);
      }
      case MINUS -> {
        if (peek(1).kind() == Kind.NUMBER) {
          advance();
          Token num = advance();
          return new Expr.NumberLit(
              -Double.parseDouble(num.text()), "-" + num.text(), spanFrom(t.start()));
        }
        throw unexpected(peek(1), "a number after '-'");
      }
      case NAME -> {
        if (!t.isAnyKeyword()) {
          throw error(
              ErrorCode.FIELD_IN_LIST.code(),
              "'"
                  + t.value()
                  + "' is read as a field name, not a value; a list holds only strings and"
                  + " numbers, so quote it: "
                  + quote(t.value()),
              t.span());
        }
        throw unexpected(t, "a string or a number");
      }
      default -> throw unexpected(t, "a string or a number");
    }
  }

  // additive = multiplicative { ("+" | "-") multiplicative }
  private Expr parseAdditive() {
    int saved = depth;
    try {
      int start = peek().start();
      Expr left = parseMultiplicative();
      while (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
        Token op = advance();
        deeper(op);
        BinaryOp bop = op.kind() == Kind.PLUS ? BinaryOp.ADD : BinaryOp.SUB;
        left = new Expr.Binary(bop, left, parseMultiplicative(), spanFrom(start));
      }
      return left;
    } finally {
      depth = saved;
    }
  }

  // multiplicative = power { ("*" | "/" | "%") power }
  private Expr parseMultiplicative() {
    int saved = depth;
    try {
      int start = peek().start();
      Expr left = parsePower();
      while (peek().kind() == Kind.STAR
          || peek().kind() == Kind.SLASH
          || peek().kind() == Kind.PERCENT) {
        Token op = advance();
        deeper(op);
        BinaryOp bop =
            switch (op.kind()) {
              case STAR -> BinaryOp.MUL;
              case SLASH -> BinaryOp.DIV;
              default -> BinaryOp.MOD;
            };
        left = new Expr.Binary(bop, left, parsePower(), spanFrom(start));
      }
      return left;
    } finally {
      depth = saved;
    }
  }

  // power = unary [ "^" power ]   (right-associative: 2 ^ 3 ^ 2 = 2 ^ (3 ^ 2))
  private Expr parsePower() {
    int start = peek().start();
    Expr base = parseUnary();
    if (peek().kind() != Kind.CARET) {
      return base;
    }
    int saved = depth;
    try {
      deeper(advance());
      Expr exponent = parsePower();
      return new Expr.Binary(BinaryOp.POW, base, exponent, spanFrom(start));
    } finally {
      depth = saved;
    }
  }

  // unary = ( "-" | "!" ) unary | primary
  private Expr parseUnary() {
    Token t = peek();
    if (t.kind() != Kind.MINUS && t.kind() != Kind.BANG) {
      return parsePrimary();
    }
    int saved = depth;
    try {
      advance();
      deeper(t);
      Expr operand = parseUnary();
      Expr.UnaryOp op = t.kind() == Kind.MINUS ? Expr.UnaryOp.NEG : Expr.UnaryOp.NOT;
      return new Expr.Unary(op, operand, spanFrom(t.start()));
    } finally {
      depth = saved;
    }
  }

  // primary = string | number | period | regex | "(" expr ")"
  //         | name "(" [ "*" | expr { "," expr } ] ")"      (a call)
  //         | name                                         (a field)
  private Expr parsePrimary() {
    Token t = peek();
    switch (t.kind()) {
      case STRING -> {
        advance();
        return new Expr.StringLit(t.value(), t.span());
      }
      case NUMBER -> {
        advance();
        return number(t);
      }
      case PERIOD -> {
        advance();
        String amount = t.text().substring(0, t.text().length() - t.value().length());
        return new Expr.PeriodLit(Double.parseDouble(amount), t.value(), t.span());
      }
      case REGEX -> {
        return regex(t);
      }
      case SLASH -> {
        // An operand must come here, so the '/' starts a regex (e.g. "filter /x/").
        relexRegex();
        return parsePrimary();
      }
      case LPAREN -> {
        int saved = depth;
        Expr inner;
        try {
          deeper(advance());
          inner = parseExpr();
          expect(Kind.RPAREN, "')'");
        } finally {
          depth = saved;
        }
        return postfix(inner, t.start());
      }
      case NAME -> {
        if (t.isAnyKeyword()) {
          throw unexpected(t, "an expression");
        }
        advance();
        if (peek().kind() == Kind.LPAREN && !t.quoted()) {
          return postfix(parseCall(t), t.start());
        }
        return postfix(new Expr.FieldRef(t.value(), t.span()), t.start());
      }
      default -> throw unexpected(t, "an expression");
    }
  }

  // postfix = { "[" (integer | string) "]" | "." name }   (only after a field, call or ")")
  private Expr postfix(Expr target, int start) {
    List<Expr.Step> steps = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.LBRACKET && t.start() == lastEnd) {
        advance();
        Token i = peek();
        if (i.kind() == Kind.NUMBER && i.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
          advance();
          int index;
          try {
            index = Integer.parseInt(i.text());
          } catch (NumberFormatException e) {
            throw error(
                ErrorCode.BAD_LIMIT.code(), "index '" + i.text() + "' is too large", i.span());
          }
          steps.add(new Expr.Step.Index(index));
        } else if (i.kind() == Kind.STRING) {
          advance();
          steps.add(new Expr.Step.Key(i.value()));
        } else {
          throw unexpected(i, "a list index (0, 1, ...) or a \"key\"");
        }
        expect(Kind.RBRACKET, "']'");
      } else if (t.kind() == Kind.DOT) {
        advance();
        Token name = peek();
        if (name.kind() != Kind.NAME) {
          throw unexpected(name, "a key after '.'");
        }
        advance();
        for (String key : keySegments(name.text())) {
          steps.add(new Expr.Step.Key(key));
        }
      } else {
        break;
      }
    }
    return steps.isEmpty() ? target : new Expr.Access(target, steps, spanFrom(start));
  }

  /**
   * The keys of a dotted name as written: {@code a.`b.c`.d} → {@code a}, {@code b.c}, {@code d}.
   */
  static List<String> keySegments(String raw) {
    List<String> keys = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '`') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        keys.add(key.toString());
        key.setLength(0);
      } else {
        key.append(c);
      }
    }
    keys.add(key.toString());
    return keys;
  }

  // call = name "(" [ "*" | expr { "," expr } ] ")"
  private Expr parseCall(Token name) {
    int saved = depth;
    try {
      deeper(advance()); // '('
      return parseArguments(name);
    } finally {
      depth = saved;
    }
  }

  private Expr parseArguments(Token name) {
    List<Expr> args = new ArrayList<>();
    boolean star = false;
    if (peek().kind() == Kind.STAR && peek(1).kind() == Kind.RPAREN) {
      advance();
      star = true;
    } else if (peek().kind() != Kind.RPAREN) {
      do {
        args.add(parseExpr());
      } while (accept(Kind.COMMA));
    }
    expect(Kind.RPAREN, args.isEmpty() ? "')'" : "',' or ')'");
    return new Expr.Call(name.value(), args, star, spanFrom(name.start()));
  }

  private static Expr.NumberLit number(Token t) {
    return new Expr.NumberLit(Double.parseDouble(t.text()), t.text(), t.span());
  }

  /** A regex literal, checked by re2j (the engine's regex library). Consumes the token. */
  private Expr.RegexLit regex(Token t) {
    advance();
    String tooLarge = RegexBudget.check(t.value());
    if (tooLarge != null) {
      throw error(ErrorCode.BAD_REGEX.code(), tooLarge, t.span());
    }
    try {
      Pattern.compile(t.value());
    } catch (RuntimeException e) {
      throw error(ErrorCode.BAD_REGEX.code(), "invalid regex: " + e.getMessage(), t.span());
    }
    return new Expr.RegexLit(t.value(), t.span());
  }

  /**
   * The named groups of a regex token, in order, each with the span of its name in the source.
   * Names are found by scanning the source text (skipping escapes and character classes); re2j's
   * own list is the reference, used as is (spans = the whole regex) if the scan disagrees with it.
   */
  private static List<Command.Name> groupNames(Token t) {
    Map<String, Integer> groups = Pattern.compile(t.value()).namedGroups();
    String raw = t.text();
    int base = t.start();
    int end = raw.length() - 1;
    List<Command.Name> found = new ArrayList<>();
    boolean inClass = false;
    int i = 1;
    while (i < end) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (inClass) {
        inClass = c != ']';
        i++;
      } else if (c == '[') {
        inClass = true;
        i++;
        if (i < end && raw.charAt(i) == '^') {
          i++;
        }
        if (i < end && raw.charAt(i) == ']') {
          i++;
        }
      } else if (c == '(' && (raw.startsWith("?<", i + 1) || raw.startsWith("?P<", i + 1))) {
        int nameStart = i + (raw.charAt(i + 2) == 'P' ? 4 : 3);
        int nameEnd = raw.indexOf('>', nameStart);
        if (nameEnd > nameStart && nameEnd < end) {
          String name = raw.substring(nameStart, nameEnd);
          if (groups.containsKey(name)) {
            found.add(new Command.Name(name, new Span(base + nameStart, base + nameEnd)));
          }
          i = nameEnd + 1;
        } else {
          i++;
        }
      } else {
        i++;
      }
    }
    if (found.size() == groups.size()
        && found.stream().map(Command.Name::name).distinct().count() == groups.size()) {
      found.sort(Comparator.comparingInt(x -> groups.get(x.name())));
      return found;
    }
    List<Command.Name> fallback = new ArrayList<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> fallback.add(new Command.Name(e.getKey(), t.span())));
    return fallback;
  }

  // ---------------------------------------------------------------------------------------------
  // Warnings about comparisons that silently match nothing

  private void checkComparison(Expr.Binary b) {
    if (b.op() != BinaryOp.EQ && b.op() != BinaryOp.NE) {
      return;
    }
    starWarning(b, b.right(), b.left());
    starWarning(b, b.left(), b.right());
    dnsWarning(b.left(), b.right());
    dnsWarning(b.right(), b.left());
  }

  // TQ3001: `f = "*x"` — a metric-filter wildcard, literal in Logs Insights.
  private void starWarning(Expr.Binary b, Expr literal, Expr subject) {
    if (literal instanceof Expr.StringLit s && s.value().indexOf('*') >= 0) {
      String message =
          Warnings.starMessage(s.value(), subject.span().text(src), b.op() == BinaryOp.NE);
      warnings.add(Diagnostic.warning(ErrorCode.WILDCARD_IS_LITERAL.code(), message, s.span()));
    }
  }

  // TQ3002: `eventSource = s3.amazonaws.com` — a value written without quotes reads as a field.
  private void dnsWarning(Expr candidate, Expr other) {
    if (candidate instanceof Expr.FieldRef f
        && other instanceof Expr.FieldRef
        && !f.span().text(src).contains("`")
        && Warnings.looksLikeDnsName(f.name())) {
      warnings.add(
          Diagnostic.warning(
              ErrorCode.DOTTED_NAME_IS_FIELD.code(),
              "'"
                  + f.name()
                  + "' is read as a field name, not a value; quote it: "
                  + quote(f.name()),
              f.span()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens

  private Token peek() {
    return peek(0);
  }

  private Token peek(int k) {
    while (ahead.size() <= k) {
      ahead.add(lexer.next());
    }
    return ahead.get(k);
  }

  private Token advance() {
    Token t = peek();
    if (t.kind() != Kind.EOF) {
      ahead.removeFirst();
      lastEnd = t.end();
    }
    return t;
  }

  private boolean accept(Kind kind) {
    if (peek().kind() == kind) {
      advance();
      return true;
    }
    return false;
  }

  private Token expect(Kind kind, String what) {
    if (peek().kind() != kind) {
      throw unexpected(peek(), what);
    }
    return advance();
  }

  /** A name usable as a field (not a keyword); {@code what} says what was expected. */
  private Token expectName(String what) {
    Token t = peek();
    if (!t.isFieldName()) {
      throw unexpected(t, what);
    }
    return advance();
  }

  /** Re-reads the current '/' token as the start of a regex. */
  private void relexRegex() {
    Token slash = peek();
    ahead.clear();
    ahead.add(lexer.regexAt(slash.start()));
  }

  private void deeper(Token at) {
    if (++depth > MAX_DEPTH) {
      throw error(
          ErrorCode.NESTED_TOO_DEEPLY.code(),
          "the expression is nested too deeply (more than "
              + MAX_DEPTH
              + " levels); for a long chain of 'or' comparisons use 'in [...]'",
          at.span());
    }
  }

  private Span spanFrom(int start) {
    return new Span(start, Math.max(start, lastEnd));
  }

  private ParseError unexpected(Token t, String expected) {
    if (t.kind() == Kind.ERROR) {
      return new ParseError(Diagnostic.error(t.code(), t.value(), t.span()));
    }
    return error(
        ErrorCode.UNEXPECTED_TOKEN.code(),
        "unexpected " + t.describe() + ", expected " + expected,
        t.span());
  }

  private static ParseError error(String code, String message, Span span) {
    return new ParseError(Diagnostic.error(code, message, span));
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** {@code "text"} with {@code "} and {@code \} escaped, as a string literal is written. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
