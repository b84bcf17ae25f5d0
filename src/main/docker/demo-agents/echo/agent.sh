# Echo: the input back, and how many bytes it had.
read -r input
echo "echo: received ${#input} bytes" >&2
printf '{"echo":%s,"bytes":%d}\n' "$input" "${#input}"
