# shellcheck shell=bash
# Loopback ports for the servers the tests and benchmarks start (redis,
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
