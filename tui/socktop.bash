# SPDX-License-Identifier: GPL-2.0
# bash completion for socktop(8). Every option of `socktop --help' is
# here (tests/tui/manpage.sh checks).
_socktop()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi
	local opts="--stream --snapshot --replay --record --headless --metrics
		--localport --remoteport --ipv4 --ipv6 --pid --uid --ports --cgroup --netns
		--timestamp --time --wide --csv --json --journal --print-uid --errors
		--count --lport --duration --speed --no-pace --theme --ringbuf-kb
		--resync --max-sockets --disable --help --version
		-L -D -4 -6 -p -u -P -t -T -w -s -Y -U -E -c -h"

	case $prev in
	--replay | --record)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--cgroup)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--theme)
		local dir themes=""
		for dir in "$(dirname "$(readlink -f "$(command -v socktop)")")/../share/socktop/themes" \
			/usr/local/share/socktop/themes /usr/share/socktop/themes; do
			[ -d "$dir" ] && themes="$themes $(cd "$dir" && ls *.theme 2>/dev/null | sed 's/\.theme$//')"
		done
		COMPREPLY=($(compgen -W "${themes:-default light mono high-contrast}" -- "$cur"))
		return ;;
	--disable)
		local prefix="" last=$cur
		if [[ $cur == *,* ]]; then prefix=${cur%,*},; last=${cur##*,}; fi
		COMPREPLY=($(compgen -P "$prefix" -W "states binds connects iters traffic synack" -- "$last"))
		return ;;
	--metrics)
		COMPREPLY=($(compgen -W "127.0.0.1:9470 [::1]:9470 0.0.0.0:9470" -- "$cur"))
		return ;;
	--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		return ;;
	--localport | --remoteport | --pid | --uid | --ports | --duration | --speed | \
	--ringbuf-kb | --resync | --max-sockets | -D | -p | -u | -P)
		return ;;
	esac
	if [[ $cur == --stream=* ]]; then
		COMPREPLY=($(compgen -P "--stream=" -W "states binds connects life retrans" -- "${cur#--stream=}"))
		return
	fi
	if [[ $prev == --stream ]] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -W "states binds connects life retrans" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _socktop socktop
