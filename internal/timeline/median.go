package timeline

import (
	"cmp"
	"math/bits"
	"slices"
)

// Median is the middle value, or of an even count the mean of the middle two: the
// textbook rule, which every figure here that is "the median" follows. Picking the
// upper middle instead would make the median of two runs the slower one, so that a
// disturbed run of two decides a calibration. Median selects rather than sorts, and so
// reorders values: two sorts of a 100,000-task trace's times cost replay's start more
// than the selection does (see docs/performance.md).
func Median[T ~int64 | ~float64](values []T) T {
	n := len(values)
	if n == 0 {
		return 0
	}
	upper := selectNth(values, n/2)
	if n%2 == 1 {
		return upper
	}
	return (slices.Max(values[:n/2]) + upper) / 2 // selectNth left the lower half first
}

func selectNth[T cmp.Ordered](s []T, k int) T {
	lo, hi := 0, len(s)-1
	for budget := 2 * bits.Len(uint(len(s))); lo < hi; budget-- {
		if budget == 0 {
			slices.Sort(s[lo : hi+1])
			break
		}
		a, b, c := s[lo], s[lo+(hi-lo)/2], s[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi // s[lo:lt] < pivot, s[lt:i] == pivot, s[gt+1:hi+1] > pivot
		for i <= gt {
			switch {
			case s[i] < pivot:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case s[i] > pivot:
				s[i], s[gt] = s[gt], s[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return s[k]
		}
	}
	return s[k]
}
