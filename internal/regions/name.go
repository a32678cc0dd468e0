package regions

import "regexp"

// namePattern is the shape of an AWS region name: a two-letter area, "-gov"
// for GovCloud, a direction and a number ("us-east-1", "us-gov-west-1",
// "ap-southeast-7"). It is the one copy of the pattern; the components check
// names with ValidName and availability zones with ValidZone.
var namePattern = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)

// ValidName reports whether name has the shape of an AWS region name. Unlike
// Known, it accepts regions this project has not listed yet, so that a
// component does not need a release when AWS opens a region; the stack config
// checks Known as well.
func ValidName(name string) bool { return namePattern.MatchString(name) }

// ValidZone reports whether zone has the shape of an Availability Zone name:
// a region name and one letter ("us-east-1a").
func ValidZone(zone string) bool {
	n := len(zone)
	return n > 1 && zone[n-1] >= 'a' && zone[n-1] <= 'z' && ValidName(zone[:n-1])
}
