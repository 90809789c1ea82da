package dev.trailquery.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trailquery.lang.ast.Command;
import dev.trailquery.lang.ast.Projection;
import dev.trailquery.lang.ast.Query;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Logs Insights query of the seed documents, copied verbatim (000: the knowledge-center
 * article's 12 queries; 001: the CIS 3.1–3.14 queries and the introductory one; 004: the blog's
 * four queries). Expected trees are written by hand.
 */
class SeedQueriesTest {

  static final Map<String, String> SEEDS = new LinkedHashMap<>();

  static {
    SEEDS.put(
        "000-q1",
        """
        #Retrieve the most recent CloudTrail events
        fields @timestamp, @message
        | sort @timestamp desc
        | limit 2
        """);
    SEEDS.put(
        "000-q2",
        """
        #Breakout Individual Fields
        fields @timestamp, awsRegion, eventCategory, eventSource, eventName, eventType, sourceIPAddress, userIdentity.type
        | sort @timestamp desc
        | limit 2
        """);
    SEEDS.put(
        "000-q3",
        """
        #EC2: Recently Launched Instances
        fields eventTime, eventName as API, responseElements.instancesSet.items.0.instanceId as InstanceID, userIdentity.sessionContext.sessionIssuer.type as IssuerType, userIdentity.type as IdentityType, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = 'RunInstances'
        | sort eventTime desc
        | limit 2
        """);
    SEEDS.put(
        "000-q4",
        """
        #Console Login: Most Recent API Calls
        fields eventTime, eventName, responseElements.ConsoleLogin as Response, userIdentity.arn as ARN, userIdentity.type as User_Type
        | filter eventName = 'ConsoleLogin'
        | sort eventTime desc
        | limit 10
        """);
    SEEDS.put(
        "000-q5",
        """
        #ConsoleLogin: Filter on Failed Logins
        fields eventTime, eventName, responseElements.ConsoleLogin as Response, userIdentity.userName as User, userIdentity.type as User_Type, sourceIPAddress, errorMessage
        | filter eventName = 'ConsoleLogin' and responseElements.ConsoleLogin = 'Failure'
        | sort eventTime desc
        | limit 10
        """);
    SEEDS.put(
        "000-q6",
        """
        #Filter PutObject API Calls on a specific S3 Bucket
        fields @timestamp, eventName as API, requestParameters.bucketName as BucketName, requestParameters.key as Key, userIdentity.sessionContext.sessionIssuer.userName as UserName
        | filter eventName = 'PutObject' and BucketName = 'target-s3-bucket'
        | sort @timestamp desc
        | limit 2
        """);
    SEEDS.put(
        "000-q7",
        """
        #S3 Activity: Bucket & Key Details
        filter eventSource = 's3.amazonaws.com'
        | stats count(*) as Hits by eventName as API, requestParameters.bucketName as BucketName, requestParameters.key as Key
        | sort Hits desc
        | limit 5
        """);
    SEEDS.put(
        "000-q8",
        """
        #KMS Decrypt Activity: Key & User Details
        fields resources.0.ARN as KMS_Key, userIdentity.sessionContext.sessionIssuer.userName as User
        | filter eventSource='kms.amazonaws.com' and eventName='Decrypt'
        | stats count(*) as Hits by KMS_Key, User
        | sort Hits desc
        | limit 2
        """);
    SEEDS.put(
        "000-q9",
        """
        #Summarize API Calls with Errors
        filter ispresent(errorCode)
        | stats count(*) as Num_of_Events by eventSource as AWS_Service, eventName as API, errorCode
        | sort Num_of_Events desc
        | limit 5
        """);
    SEEDS.put(
        "000-q10",
        """
        #S3: Summarize Error Codes
        filter eventSource = 's3.amazonaws.com' and ispresent(errorCode)
        | stats count(*) as Hits by errorCode, errorMessage
        | sort Hits desc
        | limit 5
        """);
    SEEDS.put(
        "000-q11",
        """
        #Summarize AccessDenied/UnauthorizedOperation API Calls by AWS Service, API, IAM User
        filter (errorCode='AccessDenied' or errorCode='UnauthorizedOperation')
        | stats count(*) as NumberOfEvents by errorCode, eventSource as AWS_Service, eventName as API, userIdentity.type as IdentityType, userIdentity.invokedBy as InvokedBy
        | sort NumberOfEvents desc
        | limit 10
        """);
    SEEDS.put(
        "000-q12",
        """
        #KMS: Hourly Decrypt Call Volume
        filter eventSource='kms.amazonaws.com' and eventName='Decrypt'
        | stats count(*) as Hits by bin(1h)
        """);
    SEEDS.put(
        "001-intro",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "AuthorizeSecurityGroupIngress"
        or eventName = "AuthorizeSecurityGroupEgress"
        or eventName = "RevokeSecurityGroupIngress"
        or eventName = "RevokeSecurityGroupEgress"
        or eventName = "CreateSecurityGroup"
        or eventName = "DeleteSecurityGroup"
        """);
    SEEDS.put(
        "001-3.1",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter errorCode = "*UnauthorizedOperation"\s
        or errorCode = "AccessDenied*"
        """);
    SEEDS.put(
        "001-3.2",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "ConsoleLogin"\s
        and additionalEventData.MFAUsed != "Yes"
        and responseElements.ConsoleLogin != "Failure"
        and userIdentity.principalId != "*@classmethod*"
        """);
    SEEDS.put(
        "001-3.3",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter userIdentity.type = "Root"\s
        and eventType != "AwsServiceEvent"
        """);
    SEEDS.put(
        "001-3.4",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventSource = "iam.amazonaws.com"
        and (eventName like /^Delete/
        or eventName like /^Put/
        or eventName like /^Create/
        or eventName like /^Attach/
        or eventName like /^Detach/)
        """);
    SEEDS.put(
        "001-3.5",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "CreateTrail"
        or eventName = "UpdateTrail"
        or eventName = "DeleteTrail"
        or eventName = "StartLogging"
        or eventName = "StopLogging"
        """);
    SEEDS.put(
        "001-3.6",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "ConsoleLogin"
        and errorMessage = "Failed authentication")
        """);
    SEEDS.put(
        "001-3.7",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventSource = "kms.amazonaws.com"\s
        and (eventName = "DisableKey"
        or eventName = "ScheduleKeyDeletion")
        """);
    SEEDS.put(
        "001-3.8",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventSource = s3.amazonaws.com\s
        and (eventName = "PutBucketAcl"
        or eventName = "PutBucketPolicy"
        or eventName = "PutBucketCors"
        or eventName = "PutBucketLifecycle"
        or eventName = "PutBucketReplication"
        or eventName = "DeleteBucketPolicy"
        or eventName = "DeleteBucketCors"
        or eventName = "DeleteBucketLifecycle"
        or eventName = "DeleteBucketReplication")
        """);
    SEEDS.put(
        "001-3.9",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventSource = "config.amazonaws.com"
        and (eventName = "StopConfigurationRecorder"
        or eventName = "DeleteDeliveryChannel"
        or eventName = "PutDeliveryChannel"
        or eventName = "PutConfigurationRecorder")
        """);
    SEEDS.put(
        "001-3.10",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "AuthorizeSecurityGroupIngress"
        or eventName = "AuthorizeSecurityGroupEgress"
        or eventName = "RevokeSecurityGroupIngress"
        or eventName = "RevokeSecurityGroupEgress"
        or eventName = "CreateSecurityGroup"
        or eventName = "DeleteSecurityGroup"
        """);
    SEEDS.put(
        "001-3.11",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "CreateNetworkAcl"
        or eventName = "CreateNetworkAclEntry"
        or eventName = "DeleteNetworkAcl"
        or eventName = "DeleteNetworkAclEntry"
        or eventName = "ReplaceNetworkAclEntry"
        or eventName = "ReplaceNetworkAclAssociation"
        """);
    SEEDS.put(
        "001-3.12",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "CreateCustomerGateway"
        or eventName = "DeleteCustomerGateway"
        or eventName = "AttachInternetGateway"
        or eventName = "CreateInternetGateway"
        or eventName = "DeleteInternetGateway"
        or eventName = "DetachInternetGateway"
        """);
    SEEDS.put(
        "001-3.13",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "CreateRoute"
        or eventName = "CreateRouteTable"
        or eventName = "ReplaceRoute"
        or eventName = "ReplaceRouteTableAssociation"
        or eventName = "DeleteRouteTable"
        or eventName = "DeleteRoute"
        or eventName = "DisassociateRouteTable"
        """);
    SEEDS.put(
        "001-3.14",
        """
        fields @timestamp, awsRegion, sourceIPAddress, userAgent, userIdentity.sessionContext.sessionIssuer.userName as userName
        | filter eventName = "CreateVpc"
        or eventName = "DeleteVpc"
        or eventName = "ModifyVpcAttribute"
        or eventName = "AcceptVpcPeeringConnection"
        or eventName = "CreateVpcPeeringConnection"
        or eventName = "DeleteVpcPeeringConnection"
        or eventName = "RejectVpcPeeringConnection"
        or eventName = "AttachClassicLinkVpc"
        or eventName = "DetachClassicLinkVpc"
        or eventName = "DisableVpcClassicLink"
        or eventName = "EnableVpcClassicLink"
        """);
    SEEDS.put(
        "004-signin",
        """
        filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin" and responseElements.ConsoleLogin="Failure"
        | stats count(*) as Total_Count by sourceIPAddress as Source_IP, errorMessage as Reason, awsRegion as AWS_Region, userIdentity.arn as IAM_Arn, additionalEventData.MFAUsed as MFA_Used
        """);
    SEEDS.put(
        "004-createkey",
        """
        fields eventName, requestParameters.origin as keyMaterial, responseElements.keyMetadata.keyUsage as keyUsage, awsRegion as region, userIdentity.arn as arn, responseElements.keyMetadata.keyId as keyID | filter eventName="CreateKey" and keyMaterial!="AWS_*"
        """);
    SEEDS.put(
        "004-rds-create",
        """
        filter eventSource="rds.amazonaws.com" and eventName="CreateDBInstance"
        | fields awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn
        """);
    SEEDS.put(
        "004-rds-modify",
        """
        fields eventSource, eventName, awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn
        | filter eventSource="rds.amazonaws.com" and eventName="ModifyDBInstance"
        | parse @message "requestParameters\\":{*}" as dbChanges
        | display AWS_Region, Database_Name, IAM_Arn, dbChanges
        """);
  }

  /** The fields command shared by every 001 query. */
  static final String CIS_FIELDS =
      "(fields @timestamp awsRegion sourceIPAddress userAgent"
          + " (as userIdentity.sessionContext.sessionIssuer.userName userName))";

  /** Warnings each seed gives (codes, in order); seeds not listed give none. */
  static final Map<String, List<String>> WARNINGS =
      Map.of(
          "001-3.1", List.of("TQ3001", "TQ3001"),
          "001-3.2", List.of("TQ3001"),
          "001-3.8", List.of("TQ3002"),
          "004-createkey", List.of("TQ3001"));

  static Stream<String> parsingSeeds() {
    return SEEDS.keySet().stream().filter(k -> !k.equals("001-3.6"));
  }

  static String sx(String name) {
    return AstPrinter.print(Parser.parse(SEEDS.get(name)));
  }

  @Test
  void allSeedsAreHere() {
    assertThat(SEEDS).hasSize(31);
  }

  @ParameterizedTest
  @MethodSource("parsingSeeds")
  void seedParsesWithTheExpectedWarnings(String name) {
    Query q = Parser.parse(SEEDS.get(name));
    assertThat(q.commands()).isNotEmpty();
    assertThat(q.warnings())
        .extracting(Diagnostic::code)
        .as(name)
        .containsExactlyElementsOf(WARNINGS.getOrDefault(name, List.of()));
    assertThat(q.warnings()).allMatch(w -> w.severity() == Severity.WARNING);
  }

  @Test
  void knowledgeCenterQueries() {
    assertThat(sx("000-q1"))
        .isEqualTo("(fields @timestamp @message) | (sort (desc @timestamp)) | (limit 2)");
    assertThat(sx("000-q2"))
        .isEqualTo(
            "(fields @timestamp awsRegion eventCategory eventSource eventName eventType"
                + " sourceIPAddress userIdentity.type) | (sort (desc @timestamp)) | (limit 2)");
    assertThat(sx("000-q3"))
        .isEqualTo(
            "(fields eventTime (as eventName API)"
                + " (as responseElements.instancesSet.items.0.instanceId InstanceID)"
                + " (as userIdentity.sessionContext.sessionIssuer.type IssuerType)"
                + " (as userIdentity.type IdentityType)"
                + " (as userIdentity.sessionContext.sessionIssuer.userName userName))"
                + " | (filter (= eventName \"RunInstances\")) | (sort (desc eventTime)) | (limit 2)");
    assertThat(sx("000-q5"))
        .endsWith(
            "| (filter (and (= eventName \"ConsoleLogin\")"
                + " (= responseElements.ConsoleLogin \"Failure\")))"
                + " | (sort (desc eventTime)) | (limit 10)");
    assertThat(sx("000-q6"))
        .contains(
            "| (filter (and (= eventName \"PutObject\") (= BucketName \"target-s3-bucket\")))");
    assertThat(sx("000-q7"))
        .isEqualTo(
            "(filter (= eventSource \"s3.amazonaws.com\"))"
                + " | (stats (as (count *) Hits) (by (as eventName API)"
                + " (as requestParameters.bucketName BucketName) (as requestParameters.key Key)))"
                + " | (sort (desc Hits)) | (limit 5)");
    assertThat(sx("000-q8"))
        .isEqualTo(
            "(fields (as resources.0.ARN KMS_Key)"
                + " (as userIdentity.sessionContext.sessionIssuer.userName User))"
                + " | (filter (and (= eventSource \"kms.amazonaws.com\") (= eventName \"Decrypt\")))"
                + " | (stats (as (count *) Hits) (by KMS_Key User)) | (sort (desc Hits)) | (limit 2)");
    assertThat(sx("000-q9"))
        .isEqualTo(
            "(filter (ispresent errorCode))"
                + " | (stats (as (count *) Num_of_Events)"
                + " (by (as eventSource AWS_Service) (as eventName API) errorCode))"
                + " | (sort (desc Num_of_Events)) | (limit 5)");
    assertThat(sx("000-q10"))
        .startsWith(
            "(filter (and (= eventSource \"s3.amazonaws.com\") (ispresent errorCode)))"
                + " | (stats (as (count *) Hits) (by errorCode errorMessage))");
    assertThat(sx("000-q11"))
        .startsWith(
            "(filter (or (= errorCode \"AccessDenied\") (= errorCode \"UnauthorizedOperation\")))"
                + " | (stats (as (count *) NumberOfEvents) (by errorCode (as eventSource AWS_Service)"
                + " (as eventName API) (as userIdentity.type IdentityType)"
                + " (as userIdentity.invokedBy InvokedBy)))");
    assertThat(sx("000-q12"))
        .isEqualTo(
            "(filter (and (= eventSource \"kms.amazonaws.com\") (= eventName \"Decrypt\")))"
                + " | (stats (as (count *) Hits) (by (bin 1h)))");
  }

  @Test
  void outputColumnNamesOfTheTimeSeriesQuery() {
    Command.Stats stats = (Command.Stats) Parser.parse(SEEDS.get("000-q12")).commands().get(1);
    assertThat(stats.aggregates()).extracting(Projection::name).containsExactly("Hits");
    assertThat(stats.groupBy()).extracting(Projection::name).containsExactly("bin(1h)");
  }

  @Test
  void cisQueries() {
    assertThat(sx("001-3.1"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (or (= errorCode \"*UnauthorizedOperation\")"
                + " (= errorCode \"AccessDenied*\")))");
    assertThat(sx("001-3.2"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (and (and (and (= eventName \"ConsoleLogin\")"
                + " (!= additionalEventData.MFAUsed \"Yes\"))"
                + " (!= responseElements.ConsoleLogin \"Failure\"))"
                + " (!= userIdentity.principalId \"*@classmethod*\")))");
    assertThat(sx("001-3.3"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (and (= userIdentity.type \"Root\")"
                + " (!= eventType \"AwsServiceEvent\")))");
    assertThat(sx("001-3.4"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (and (= eventSource \"iam.amazonaws.com\")"
                + " (or (or (or (or (like eventName /^Delete/) (like eventName /^Put/))"
                + " (like eventName /^Create/)) (like eventName /^Attach/))"
                + " (like eventName /^Detach/))))");
    assertThat(sx("001-3.5"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (or (or (or (or (= eventName \"CreateTrail\")"
                + " (= eventName \"UpdateTrail\")) (= eventName \"DeleteTrail\"))"
                + " (= eventName \"StartLogging\")) (= eventName \"StopLogging\")))");
    assertThat(sx("001-3.7"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (and (= eventSource \"kms.amazonaws.com\")"
                + " (or (= eventName \"DisableKey\") (= eventName \"ScheduleKeyDeletion\"))))");
    assertThat(sx("001-3.8"))
        .startsWith(
            CIS_FIELDS
                + " | (filter (and (= eventSource s3.amazonaws.com)"
                + " (or (or (or (or (or (or (or (or (= eventName \"PutBucketAcl\")");
    assertThat(sx("001-3.9"))
        .isEqualTo(
            CIS_FIELDS
                + " | (filter (and (= eventSource \"config.amazonaws.com\")"
                + " (or (or (or (= eventName \"StopConfigurationRecorder\")"
                + " (= eventName \"DeleteDeliveryChannel\")) (= eventName \"PutDeliveryChannel\"))"
                + " (= eventName \"PutConfigurationRecorder\"))))");
    assertThat(sx("001-3.10")).isEqualTo(sx("001-intro"));
    assertThat(sx("001-3.14"))
        .startsWith(CIS_FIELDS + " | (filter (or (or (or (or (or (or (or (or (or (or");
    assertThat(sx("001-3.14")).endsWith("(= eventName \"EnableVpcClassicLink\")))");
  }

  @Test
  void blogQueries() {
    assertThat(sx("004-signin"))
        .isEqualTo(
            "(filter (and (and (= eventSource \"signin.amazonaws.com\")"
                + " (= eventName \"ConsoleLogin\")) (= responseElements.ConsoleLogin \"Failure\")))"
                + " | (stats (as (count *) Total_Count) (by (as sourceIPAddress Source_IP)"
                + " (as errorMessage Reason) (as awsRegion AWS_Region) (as userIdentity.arn IAM_Arn)"
                + " (as additionalEventData.MFAUsed MFA_Used)))");
    assertThat(sx("004-createkey"))
        .isEqualTo(
            "(fields eventName (as requestParameters.origin keyMaterial)"
                + " (as responseElements.keyMetadata.keyUsage keyUsage) (as awsRegion region)"
                + " (as userIdentity.arn arn) (as responseElements.keyMetadata.keyId keyID))"
                + " | (filter (and (= eventName \"CreateKey\") (!= keyMaterial \"AWS_*\")))");
    assertThat(sx("004-rds-create"))
        .isEqualTo(
            "(filter (and (= eventSource \"rds.amazonaws.com\") (= eventName \"CreateDBInstance\")))"
                + " | (fields (as awsRegion AWS_Region)"
                + " (as requestParameters.dBInstanceIdentifier Database_Name)"
                + " (as userIdentity.arn IAM_Arn))");
    assertThat(sx("004-rds-modify"))
        .isEqualTo(
            "(fields eventSource eventName (as awsRegion AWS_Region)"
                + " (as requestParameters.dBInstanceIdentifier Database_Name)"
                + " (as userIdentity.arn IAM_Arn))"
                + " | (filter (and (= eventSource \"rds.amazonaws.com\")"
                + " (= eventName \"ModifyDBInstance\")))"
                + " | (parse @message \"requestParameters\\\":{*}\" (as dbChanges))"
                + " | (display AWS_Region Database_Name IAM_Arn dbChanges)");
    Command.Parse parse =
        (Command.Parse) Parser.parse(SEEDS.get("004-rds-modify")).commands().get(2);
    assertThat(parse.glob().value()).isEqualTo("requestParameters\":{*}");
  }

  @Test
  void cis36StrayParenthesisFails() {
    String q = SEEDS.get("001-3.6");
    QueryException e = catchThrowableOfType(QueryException.class, () -> Parser.parse(q));
    assertThat(e.diagnostics()).hasSize(1);
    Diagnostic d = e.error();
    assertThat(d.code()).isEqualTo("TQ1003");
    assertThat(d.line(q)).isEqualTo(3);
    assertThat(d.column(q)).isEqualTo(43);
    assertThat(d.span().text(q)).isEqualTo(")");
    assertThat(d.message()).isEqualTo("unexpected ')', expected '|' or the end of the query");
    assertThat(e.getMessage())
        .isEqualTo("line 3, column 43: unexpected ')', expected '|' or the end of the query");
    assertThat(e.render())
        .isEqualTo(
            """
            error: line 3, column 43: unexpected ')', expected '|' or the end of the query [TQ1003]
              | and errorMessage = "Failed authentication")
              |                                           ^""");
  }

  @Test
  void correctedSeedsGiveNoWarnings() {
    List<String> corrected =
        List.of(
            SEEDS
                .get("001-3.1")
                .replace(
                    "errorCode = \"*UnauthorizedOperation\"",
                    "errorCode like /UnauthorizedOperation$/")
                .replace("errorCode = \"AccessDenied*\"", "errorCode like /^AccessDenied/"),
            SEEDS
                .get("001-3.2")
                .replace(
                    "userIdentity.principalId != \"*@classmethod*\"",
                    "userIdentity.principalId not like \"@classmethod\""),
            SEEDS.get("001-3.6").replace("authentication\")", "authentication\""),
            SEEDS
                .get("001-3.8")
                .replace("eventSource = s3.amazonaws.com", "eventSource = \"s3.amazonaws.com\""),
            SEEDS
                .get("004-createkey")
                .replace("keyMaterial!=\"AWS_*\"", "keyMaterial not like /^AWS_/"));
    for (String q : corrected) {
      assertThat(Parser.parse(q).warnings()).as(q).isEmpty();
    }
  }

  @Test
  void cis31WarnsTwiceWithSuggestions() {
    String q = SEEDS.get("001-3.1");
    List<Diagnostic> w = Parser.parse(q).warnings();
    assertThat(w).hasSize(2);
    // line 2: `| filter errorCode = "*UnauthorizedOperation" `, the string at column 22
    assertThat(w.get(0).line(q)).isEqualTo(2);
    assertThat(w.get(0).column(q)).isEqualTo(22);
    assertThat(w.get(0).span().text(q)).isEqualTo("\"*UnauthorizedOperation\"");
    assertThat(w.get(0).message())
        .isEqualTo(
            "'*' is not a wildcard with '=': this compares with the exact text"
                + " \"*UnauthorizedOperation\"; to match values ending in \"UnauthorizedOperation\","
                + " write: errorCode like /UnauthorizedOperation$/");
    // line 3: `or errorCode = "AccessDenied*"`, the string at column 16
    assertThat(w.get(1).line(q)).isEqualTo(3);
    assertThat(w.get(1).column(q)).isEqualTo(16);
    assertThat(w.get(1).message()).endsWith("write: errorCode like /^AccessDenied/");
  }

  @Test
  void cis38WarnsAboutTheUnquotedDomain() {
    String q = SEEDS.get("001-3.8");
    Diagnostic w = Parser.parse(q).warnings().getFirst();
    // line 2: `| filter eventSource = s3.amazonaws.com `, the name at column 24
    assertThat(w.line(q)).isEqualTo(2);
    assertThat(w.column(q)).isEqualTo(24);
    assertThat(w.span().text(q)).isEqualTo("s3.amazonaws.com");
    assertThat(w.message())
        .isEqualTo(
            "'s3.amazonaws.com' is read as a field name, not a value; quote it:"
                + " \"s3.amazonaws.com\"");
  }

  @Test
  void createKeyWarnsAboutTheStar() {
    String q = SEEDS.get("004-createkey");
    Diagnostic w = Parser.parse(q).warnings().getFirst();
    assertThat(w.span().text(q)).isEqualTo("\"AWS_*\"");
    assertThat(w.message())
        .startsWith("'*' is not a wildcard with '!='")
        .endsWith("to exclude values starting with \"AWS_\", write: keyMaterial not like /^AWS_/");
  }
}
