// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "./utils/Test.sol";
import {Merkle} from "./utils/Merkle.sol";
import {TagToken} from "../src/TagToken.sol";
import {TipRouter} from "../src/TipRouter.sol";
import {TokenSale} from "../src/TokenSale.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev Drives a {VestingVault} at random: schedules, a Merkle drop, claims of all kinds, revocations, time.
contract VaultHandler is Test {
    TagToken public token;
    VestingVault public vault;
    address[3] public beneficiaries;

    // ghosts
    uint256 public deposited;
    uint256 public claimed;
    uint256 public refunded; // revocations and closed drops
    uint256 public dropId;
    bytes32[] internal leafHashes;
    address[] internal leafWho;
    uint256[] internal leafTotal;
    uint64[] internal leafStart;
    uint64[] internal leafDuration;

    constructor() {
        token = new TagToken("Inv", "INV", address(this), 1e40, address(0));
        vault = new VestingVault(token, address(this), address(0));
        token.approve(address(vault), type(uint256).max);
        beneficiaries = [address(0xA11CE), address(0xB0B), address(0xCA201)];
        uint256 sum;
        for (uint256 i = 0; i < 6; ++i) {
            address who = beneficiaries[i % 3];
            uint256 total = (i + 1) * 1e21;
            uint64 start = uint64(block.timestamp + i * 1 days);
            uint64 duration = uint64((i + 1) * 10 days);
            leafWho.push(who);
            leafTotal.push(total);
            leafStart.push(start);
            leafDuration.push(duration);
            leafHashes.push(vault.merkleLeaf(who, total, start, 0, duration));
            sum += total;
        }
        dropId = vault.addMerkleRoot(Merkle.root(leafHashes), sum, true);
        deposited += sum;
    }

    function _id(uint256 seed) internal view returns (uint256) {
        return bound(seed, 0, vault.scheduleCount() - 1);
    }

    function createSchedule(uint256 who, uint256 total, uint64 startOffset, uint64 cliff, uint64 duration, bool revocable)
        external
    {
        total = bound(total, 1, 1e30);
        duration = uint64(bound(duration, 0, 400 days));
        cliff = uint64(bound(cliff, 0, duration));
        uint64 start = uint64(bound(startOffset, block.timestamp - 100 days, block.timestamp + 100 days));
        vault.createSchedule(beneficiaries[who % 3], total, start, cliff, duration, revocable);
        deposited += total;
    }

    function claimMerkle(uint256 index) external {
        index = bound(index, 0, leafHashes.length - 1);
        if (vault.isLeafClaimed(dropId, leafWho[index], leafTotal[index], leafStart[index], 0, leafDuration[index])) {
            return;
        }
        if (vault.getMerkleDrop(dropId).closed) return;
        address who = leafWho[index];
        uint256 before = token.balanceOf(who);
        vault.claimMerkle(
            dropId, who, leafTotal[index], leafStart[index], 0, leafDuration[index], Merkle.proof(leafHashes, index)
        );
        claimed += token.balanceOf(who) - before;
    }

    function claim(uint256 seed) external {
        if (vault.scheduleCount() == 0) return;
        uint256 id = _id(seed);
        uint256 amount = vault.claimable(id);
        if (amount == 0) return;
        vm.prank(vault.getSchedule(id).beneficiary);
        vault.claim(id);
        claimed += amount;
    }

    function claimFor(uint256 seed) external {
        if (vault.scheduleCount() == 0) return;
        uint256 id = _id(seed);
        uint256 amount = vault.claimable(id);
        if (amount == 0) return;
        vault.claimFor(id);
        claimed += amount;
    }

    function claimAll(uint256 who) external {
        address beneficiary = beneficiaries[who % 3];
        uint256[] memory ids = vault.scheduleIdsOf(beneficiary);
        uint256 amount;
        for (uint256 i = 0; i < ids.length; ++i) {
            amount += vault.claimable(ids[i]);
        }
        if (amount == 0) return;
        vm.prank(beneficiary);
        vault.claimMany(ids);
        claimed += amount;
    }

    function revoke(uint256 seed) external {
        if (vault.scheduleCount() == 0) return;
        uint256 id = _id(seed);
        VestingVault.Schedule memory s = vault.getSchedule(id);
        if (!s.revocable || s.revoked) return;
        refunded += vault.revoke(id);
    }

    function closeDrop(uint256 chance) external {
        if (chance % 20 != 0 || vault.getMerkleDrop(dropId).closed) return; // rarely
        refunded += vault.closeMerkleDrop(dropId);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 30 days));
    }
}

/// @dev Drives a native {TokenSale} at random: buys by a few buyers, price changes, pauses, time.
contract SaleHandler is Test {
    TagToken public token;
    TokenSale public sale;
    address[4] public buyers;
    uint256 public ghostSold;
    uint256 public constant CAP = 50_000e18;
    uint256 public constant BUYER_CAP = 20_000e18;

    constructor() {
        token = new TagToken("Sold", "SLD", address(this), CAP, address(0));
        sale = new TokenSale(
            address(0),
            TokenSale.Config({
                saleToken: token,
                paymentToken: address(0),
                price: 1e15,
                start: uint64(block.timestamp),
                end: uint64(block.timestamp + 60 days),
                totalCap: CAP,
                perBuyerCap: BUYER_CAP,
                admin: address(this),
                proceedsRecipient: address(this)
            })
        );
        token.transfer(address(sale), CAP);
        buyers = [address(0xB1), address(0xB2), address(0xB3), address(0xB4)];
    }

    receive() external payable {}

    function buy(uint256 who, uint256 amountIn, uint256 minOutSlack) external {
        address buyer = buyers[who % 4];
        amountIn = bound(amountIn, 1, 30 ether);
        uint256 out = sale.quote(amountIn);
        uint256 minOut = out > 0 ? out - bound(minOutSlack, 0, out) : 0;
        vm.deal(buyer, amountIn);
        vm.prank(buyer);
        try sale.buy{value: amountIn}(amountIn, minOut) returns (uint256 got) {
            ghostSold += got;
        } catch {}
    }

    function setPrice(uint256 price) external {
        sale.setPrice(bound(price, 1e12, 1e18));
    }

    function togglePause(uint256 chance) external {
        if (chance % 4 != 0) return;
        if (sale.paused()) sale.unpause();
        else sale.pause();
    }

    function withdraw() external {
        sale.withdrawProceeds();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 5 days));
    }
}

/// @dev Drives the {TipRouter}: fee changes (including above the bound) and tips.
contract FeeHandler is Test {
    TipRouter public router;
    address public constant FEE_RECIPIENT = address(0xFEE);
    uint256 public tipped;
    uint256 public rejectedFeeChanges;

    constructor() {
        router = new TipRouter(address(this), FEE_RECIPIENT, 100, address(0));
    }

    function setFee(uint16 bps) external {
        try router.setFee(bps, FEE_RECIPIENT) {} catch {
            rejectedFeeChanges++;
        }
    }

    function tip(uint256 amount) external {
        amount = bound(amount, 1, 1000 ether);
        vm.deal(address(this), amount);
        router.tip{value: amount}(address(0), address(0xC0FFEE), amount, "");
        tipped += amount;
    }

    function distribute(uint256 a, uint256 b) external {
        a = bound(a, 1, 100 ether);
        b = bound(b, 1, 100 ether);
        address[] memory rs = new address[](2);
        uint256[] memory as_ = new uint256[](2);
        (rs[0], rs[1], as_[0], as_[1]) = (address(0xC0FFEE), address(0xBEEF), a, b);
        vm.deal(address(this), a + b);
        router.distribute{value: a + b}(address(0), rs, as_, "");
        tipped += a + b;
    }
}

contract VestingVaultInvariantTest is Test {
    VaultHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new VaultHandler();
        targetContract(address(handler));
    }

    /// @dev The vault holds exactly what was deposited minus what left it, so it never pays out more than it holds.
    function invariant_BalanceIsDepositedMinusPaidOut() public view {
        assertEq(
            handler.token().balanceOf(address(handler.vault())),
            handler.deposited() - handler.claimed() - handler.refunded()
        );
    }

    /// @dev claimed + still owed on schedules + revoked/refunded + unallocated in open drops == deposited.
    function invariant_Accounting() public view {
        VestingVault vault = handler.vault();
        uint256 owed;
        uint256 released;
        for (uint256 id = 0; id < vault.scheduleCount(); ++id) {
            VestingVault.Schedule memory s = vault.getSchedule(id);
            owed += s.total - s.released;
            released += s.released;
        }
        VestingVault.MerkleDrop memory drop = vault.getMerkleDrop(handler.dropId());
        uint256 unallocated = drop.closed ? 0 : drop.deposited - drop.allocated;
        assertEq(released, handler.claimed(), "released == claimed");
        assertEq(handler.claimed() + owed + handler.refunded() + unallocated, handler.deposited(), "conservation");
    }

    /// @dev No schedule ever released more than has vested.
    function invariant_NeverMoreThanVested() public view {
        VestingVault vault = handler.vault();
        for (uint256 id = 0; id < vault.scheduleCount(); ++id) {
            VestingVault.Schedule memory s = vault.getSchedule(id);
            assertLe(s.released, vault.vestedAmount(id, uint64(block.timestamp)), "released <= vested");
            assertLe(s.released, s.total, "released <= total");
        }
    }
}

contract TokenSaleInvariantTest is Test {
    SaleHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new SaleHandler();
        targetContract(address(handler));
    }

    function invariant_NeverBeyondCaps() public view {
        TokenSale sale = handler.sale();
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 bought = sale.purchased(handler.buyers(i));
            assertLe(bought, handler.BUYER_CAP(), "per-buyer cap");
            sum += bought;
            assertEq(handler.token().balanceOf(handler.buyers(i)), bought);
        }
        assertEq(sum, sale.sold());
        assertEq(sale.sold(), handler.ghostSold());
        assertLe(sale.sold(), handler.CAP(), "total cap");
        assertEq(sale.remaining(), handler.CAP() - sale.sold());
        assertEq(handler.token().balanceOf(address(sale)), handler.CAP() - sale.sold());
    }
}

contract TipFeeInvariantTest is Test {
    FeeHandler internal handler;

    function setUp() public {
        handler = new FeeHandler();
        targetContract(address(handler));
    }

    function invariant_FeeNeverAboveBound() public view {
        TipRouter router = handler.router();
        assertLe(router.feeBps(), router.MAX_FEE_BPS());
        // everything the fee recipient ever got is within the bound of everything tipped
        assertLe(handler.FEE_RECIPIENT().balance * 10_000, handler.tipped() * router.MAX_FEE_BPS());
        assertEq(address(router).balance, 0);
    }
}
