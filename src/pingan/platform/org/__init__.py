"""The jurisdiction tree (bureau → station → community → grid) and the banks with their branches."""
