//go:build !unix

package safefile

import "io/fs"

// Outside Unix there is no O_NOFOLLOW to ask for and no uid to compare: a user's
// profile directory is private by the platform's own permissions.
const (
	oNoFollow = 0
	oNonBlock = 0
)

func ownedByMe(fs.FileInfo) error { return nil }

// ancestorsSafe checks nothing: there are no uids, and modes say nothing of other
// users; the profile's ACLs keep the directories above the app's private.
func ancestorsSafe(string) error { return nil }
