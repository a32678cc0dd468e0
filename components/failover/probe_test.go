package failover

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProbeScriptRuns runs the canary's script with Node.js against local
// servers: a run succeeds on 2xx/3xx (also behind a self-signed certificate,
// as the load balancer's certificate names another host) and fails on 5xx and
// on a refused connection.
func TestProbeScriptRuns(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the probe script cannot be run here")
	}
	archive, err := probeArchive(fmt.Sprintf(probeScript, probeTimeoutSeconds))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	script, err := io.ReadAll(f)
	require.NoError(t, err)
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.Base(probeFile))
	require.NoError(t, os.WriteFile(path, script, 0o600))

	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
	}
	ok := httptest.NewServer(status(200))
	defer ok.Close()
	redirect := httptest.NewServer(status(302))
	defer redirect.Close()
	tlsOK := httptest.NewTLSServer(status(204))
	defer tlsOK.Close()
	broken := httptest.NewServer(status(503))
	defer broken.Close()
	closed := httptest.NewServer(status(200))
	closedURL := closed.URL
	closed.Close()

	run := func(url string) (string, error) {
		cmd := exec.Command(node, "-e", `require(process.argv[1]).handler().then(r => console.log(r), e => { console.error(e.message); process.exit(1) })`, path)
		cmd.Env = append(os.Environ(), probeURLVar+"="+url)
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	for _, url := range []string{ok.URL + "/healthz", redirect.URL, tlsOK.URL + "/healthz"} {
		out, err := run(url)
		assert.NoError(t, err, "%s: %s", url, out)
		assert.True(t, strings.HasPrefix(out, "ok "), out)
	}
	for url, want := range map[string]string{broken.URL: "answered 503", closedURL: "ECONNREFUSED", "": "PROBE_URL is not set"} {
		out, err := run(url)
		assert.Error(t, err, "%q must fail the run", url)
		assert.Contains(t, out, want)
	}
}
