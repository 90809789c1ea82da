#!/usr/bin/perl
# The launcher's fast client of the resident daemon (cli/.../daemon/Daemon.java): the same protocol
# as the Java client (Client.java, Wire.java) in a few milliseconds instead of a JVM's ~50. Perl 5
# core modules only (Perl is part of every Debian, Ubuntu and macOS base system).
#
#   perl scripts/daemon-client.pl JAR JAVA_HOME DAEMON_FLAGS COMMAND [ARGS...]
#
# It only talks to a daemon the Java client has already talked to: that client leaves a ticket
# (Rendezvous.ticket: the socket's name and the daemon's identity) in the user's private daemon
# directory. Exit codes: the command's, or 77 when this client cannot serve the command before
# anything was printed (no ticket, a ticket of another build, a directory or socket that is not the
# user's own, no daemon listening, a refusal): the launcher then runs the Java client, which starts a
# daemon or runs the command in a JVM of its own, as before. Ctrl-C (SIGINT), SIGTERM and SIGHUP
# cancel the command in the daemon and exit 130, 143 and 129, as the JVM does.
use strict;
use warnings;
use Socket qw(PF_UNIX SOCK_STREAM pack_sockaddr_un);
use Digest::MD5 qw(md5_hex);
use Cwd qw(getcwd);
use Fcntl qw(:mode);

use constant {
  FALLBACK => 77,
  MAGIC => 0x54514431,    # "TQD1"
  OUT => 1, ERR => 2, EXIT => 3, REFUSED => 4,
  MAX => 64 << 20,
};
my @FIXED_AT_START = qw(LANG LANGUAGE LC_ALL LC_CTYPE LC_NUMERIC LC_TIME LC_MESSAGES TZ);

sub debug {
  print STDERR "trailquery: fast client: $_[0]\n" if defined $ENV{TRAILQUERY_DEBUG};
}

sub fallback {
  debug($_[0]);
  exit FALLBACK;
}

@ARGV >= 4 or fallback('usage: daemon-client.pl JAR JAVA_HOME DAEMON_FLAGS COMMAND [ARGS...]');
my ($jar, $java_home, $flags, @args) = @ARGV;
my $uid = $<;

# The directory, as Rendezvous.dir: $TRAILQUERY_DAEMON_DIR, $XDG_RUNTIME_DIR/trailquery, else the
# JVM's temporary directory (/tmp on Linux; elsewhere the JVM's own choice: the Java client's job).
my $dir;
if (defined $ENV{TRAILQUERY_DAEMON_DIR} && $ENV{TRAILQUERY_DAEMON_DIR} ne '') {
  $dir = $ENV{TRAILQUERY_DAEMON_DIR};
  $dir = getcwd() . "/$dir" unless $dir =~ m{^/};
} elsif (defined $ENV{XDG_RUNTIME_DIR} && $ENV{XDG_RUNTIME_DIR} =~ m{^/} && -d $ENV{XDG_RUNTIME_DIR}) {
  $dir = "$ENV{XDG_RUNTIME_DIR}/trailquery";
} elsif ($^O eq 'linux') {
  $dir = "/tmp/trailquery-$uid";
} else {
  fallback("no daemon directory known on $^O");
}

# Only the user's own: a directory (not a link) of mode 0700, a ticket no one else may write, a
# socket of mode 0600 (as Rendezvous.secureDir / secureSocket).
sub owned {
  my ($path, $type, $others) = @_;
  my @st = lstat($path) or return 0;
  return ($st[2] & S_IFMT) == $type && $st[4] == $uid && ($st[2] & $others) == 0;
}
owned($dir, S_IFDIR, 077) or fallback("$dir is not a private directory of uid $uid");

my $key = "ticket 1\n$jar\n$java_home\n$flags";
for my $name (@FIXED_AT_START) {
  $key .= "\n$name=$ENV{$name}" if defined $ENV{$name};
}
my $ticket = "$dir/t-" . md5_hex($key) . ".ticket";
owned($ticket, S_IFREG, 022) or fallback("no ticket $ticket");
open(my $tf, '<:raw', $ticket) or fallback("$ticket: $!");
my $content = do { local $/; <$tf> };
close($tf);
my ($socket_name, $identity) = $content =~ /\A(d-[0-9a-f]+\.sock)\n(.*)\z/s
  or fallback("$ticket is not a ticket");
my $socket = "$dir/$socket_name";
owned($socket, S_IFSOCK, 0177) or fallback("$socket is not the user's own socket");

socket(my $s, PF_UNIX, SOCK_STREAM, 0) or fallback("socket: $!");
connect($s, pack_sockaddr_un($socket)) or fallback("$socket: $!");

sub str { return pack('N', length $_[0]) . $_[0]; }
my @vars = grep { /^(TRAILQUERY_|AWS_)/ } sort keys %ENV;
my $cwd = getcwd();
defined $cwd or fallback("no working directory");
my $request = pack('N', MAGIC) . str($identity) . str($cwd)
  . pack('N', scalar @vars) . join('', map { str($_) . str($ENV{$_}) } @vars)
  . pack('N', scalar @args) . join('', map { str($_) } @args);

my $finished = 0;
for my $sig ([INT => 130], [TERM => 143], [HUP => 129]) {
  my ($name, $code) = @$sig;
  $SIG{$name} = sub {
    syswrite($s, 'C') unless $finished;    # the daemon cancels the command
    exit $code;
  };
}
$SIG{PIPE} = 'IGNORE';

sub write_all {
  my ($fh, $data) = @_;
  my $off = 0;
  while ($off < length $data) {
    my $n = syswrite($fh, $data, length($data) - $off, $off);
    return 0 unless defined $n;    # a closed pipe loses the output, not the run
    $off += $n;
  }
  return 1;
}
write_all($s, $request) or fallback("the daemon did not take the command: $!");

my $buf = '';
sub need {
  my $n = shift;
  while (length $buf < $n) {
    my $r = sysread($s, $buf, 65536, length $buf);
    if (!defined $r) {
      next if $!{EINTR};
      return 0;
    }
    return 0 if $r == 0;
  }
  return 1;
}

my ($relayed, $out_ok, $err_ok) = (0, 1, 1);
while (need(1)) {
  my $type = ord($buf);
  if ($type == EXIT) {
    need(5) or last;
    $finished = 1;
    my $code = unpack('N', substr($buf, 1, 4));
    exit($code & 0xff);
  }
  last unless $type == OUT || $type == ERR || $type == REFUSED;
  need(5) or last;
  my $n = unpack('N', substr($buf, 1, 4));
  last if $n > MAX;
  need(5 + $n) or last;
  my $data = substr($buf, 5, $n);
  substr($buf, 0, 5 + $n) = '';
  if ($type == REFUSED) {
    $finished = 1;
    unlink($ticket) if $data =~ /^another build/;    # stale: the Java client writes a new one
    fallback("the daemon refused: $data");
  }
  $relayed = 1;
  if ($type == OUT) {
    $out_ok &&= write_all(\*STDOUT, $data);
  } else {
    $err_ok &&= write_all(\*STDERR, $data);
  }
}
$finished = 1;
fallback('the daemon went away before it answered') unless $relayed;
(my $log = $socket) =~ s/\.sock\z/.log/;
print STDERR "trailquery: the daemon stopped before the command finished (its log: $log)\n";
exit 1;
