"""Reading the CMS: the SSD source contract, the synthetic CMS and the snapshot extract."""
