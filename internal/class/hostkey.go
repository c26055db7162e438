package class

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the name of the class server's host key in the state directory.
const HostKeyFile = "class_host_ed25519"

// LoadHostKey reads the server's host key from dir, making it (and dir) the first
// time: a key made once and kept means students' ssh clients can remember it, and a
// changed key is worth their warning.
func LoadHostKey(dir string) ([]byte, error) {
	if dir == "" {
		return nil, errors.New("no state directory for the host key: set XDG_STATE_HOME or HOME")
	}
	path := filepath.Join(dir, HostKeyFile)
	pemBytes, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := checkPrivate(path); err != nil {
			return nil, err
		}
		if _, err := gossh.ParsePrivateKey(pemBytes); err != nil {
			return nil, fmt.Errorf("host key %s: %w (remove it to make a new one)", path, err)
		}
		return pemBytes, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("host key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "coreography class")
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	pemBytes = pem.EncodeToMemory(block)
	// O_EXCL: two classes started at once must not both write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadHostKey(dir)
		}
		return nil, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(pemBytes); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("host key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	return pemBytes, nil
}

// checkPrivate refuses a key other users could read: whoever reads it can pose as the
// class server to every student.
func checkPrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil // no Unix permission bits to check
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("host key %s is not a regular file", path)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("host key %s can be read by other users (mode %v): chmod 600 it, or remove it to make a new one", path, info.Mode().Perm())
	}
	return nil
}
