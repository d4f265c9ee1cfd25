# shellcheck shell=bash
# Loopback servers for the tests and benchmarks (redis, a mute listener,
# distccd, nginx): sourced by tests/lib.sh and tests/bench/remote-cache.sh.

# free_port: a TCP port of 127.0.0.1 nothing listens on (now)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# port_listening PORT TENTHS: 0 once something accepts on 127.0.0.1:PORT,
# 1 if nothing has within TENTHS tenths of a second
port_listening() {
	local i
	for i in $(seq "$2"); do
		(exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# redis_start PORT DIR: a redis-server on 127.0.0.1:PORT that keeps nothing on
# disk, daemonized, its pid in DIR/redis.pid and its log in DIR/redis.log
redis_start() {
	redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" \
		--daemonize yes --pidfile "$2/redis.pid" --logfile "$2/redis.log" > /dev/null
}

# mute_listener PORT: in the background, a server on 127.0.0.1:PORT that
# accepts every connection and never answers (the caller kills it: $!)
mute_listener() {
	python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); held = []
while True: held.append(s.accept()[0])' "$1" &
}
