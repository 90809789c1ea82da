package dev.trailquery.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static Route.Match found(String method, String path) {
    Route.Resolution r = Route.resolve(method, path);
    assertThat(r).as(method + " " + path).isInstanceOf(Route.Found.class);
    return ((Route.Found) r).match();
  }

  @Test
  void pathsResolveToTheirRouteWithParameters() {
    assertThat(found("POST", "/queries").route()).isEqualTo(Route.START_QUERY);
    assertThat(found("GET", "/queries/abc").params()).isEqualTo(Map.of("id", "abc"));
    assertThat(found("GET", "/subscriptions/x/results").route())
        .isEqualTo(Route.GET_SUBSCRIPTION_RESULTS);
    assertThat(found("DELETE", "/subscriptions/x/alarm").route())
        .isEqualTo(Route.DELETE_SUBSCRIPTION_ALARM);
    assertThat(found("PUT", "/packs/cis").params()).isEqualTo(Map.of("pack", "cis"));
    assertThat(found("GET", "/alarms").route()).isEqualTo(Route.LIST_ALARMS);
  }

  @Test
  void savedQueryNamesMayHoldSlashes() {
    Route.Match m = found("PUT", "/saved-queries/security/console/logins");
    assertThat(m.route()).isEqualTo(Route.PUT_SAVED_QUERY);
    assertThat(m.param("name")).isEqualTo("security/console/logins");
  }

  @Test
  void otherMethodsOfAServedPathAreListedInOrder() {
    assertThat(Route.resolve("PATCH", "/queries"))
        .isEqualTo(new Route.NotAllowed(List.of("GET", "POST")));
    assertThat(Route.resolve("POST", "/saved-queries/a/b"))
        .isEqualTo(new Route.NotAllowed(List.of("GET", "PUT", "DELETE")));
    assertThat(Route.resolve("GET", "/packs/cis")).isEqualTo(new Route.NotAllowed(List.of("PUT")));
  }

  @Test
  void pathsOutsideTheRoutesAreNotFound() {
    for (String p :
        List.of(
            "/",
            "/nope",
            "/queries/a/b",
            "/subscriptions/a/b",
            "/subscriptions/a/results/x",
            "/alarms/x",
            "/packs",
            "/saved-queries-x")) {
      assertThat(Route.resolve("GET", p)).as(p).isInstanceOf(Route.NotFound.class);
    }
  }

  @Test
  void eachMethodAndPathIsOneRoute() {
    Set<String> seen = new HashSet<>();
    for (Route r : Route.values()) {
      assertThat(seen.add(r.method() + " " + r.path())).as(r.toString()).isTrue();
      assertThat(r.path()).startsWith("/");
    }
  }
}
